import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadEnvConfig } from '../../src/config/env-config.ts';

describe('loadEnvConfig', () => {
  it('gives the embedded defaults with no variables set', () => {
    const config = loadEnvConfig({});
    assert.equal(config.port, 8080);
    assert.equal(config.dataDir, './data');
    assert.equal(config.simulators, 'in-process');
    assert.ok(Object.isFrozen(config));
  });

  it('lists every invalid variable at once, naming it and what it allows', () => {
    let error: unknown;
    try {
      loadEnvConfig({ HERALD_PORT: 'eighty', HERALD_SIMULATORS: 'maybe', HERALD_LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof ConfigError);
    assert.equal(error.problems.length, 3);
    assert.match(error.message, /HERALD_PORT must be an integer from 0 to 65535, got "eighty"/);
    assert.match(error.message, /HERALD_SIMULATORS must be one of in-process, external, off/);
    assert.match(error.message, /HERALD_LOG_LEVEL/);
  });

  it('requires a simulator URL for external simulators', () => {
    assert.throws(() => loadEnvConfig({ HERALD_SIMULATORS: 'external' }), /HERALD_SIMULATOR_URL is required/);
    const config = loadEnvConfig({
      HERALD_SIMULATORS: 'external',
      HERALD_SIMULATOR_URL: 'http://127.0.0.1:9100/',
    });
    assert.equal(config.simulatorUrl, 'http://127.0.0.1:9100');
  });

  it('takes the port of /health and /metrics for processes without the API, 9464 by default', () => {
    assert.equal(loadEnvConfig({}).metricsPort, 9464);
    assert.equal(loadEnvConfig({ HERALD_METRICS_PORT: '0' }).metricsPort, 0);
    assert.throws(
      () => loadEnvConfig({ HERALD_METRICS_PORT: '70000' }),
      /HERALD_METRICS_PORT must be an integer from 0 to 65535, got "70000"/,
    );
  });

  it('rejects a too-short bootstrap key', () => {
    assert.throws(() => loadEnvConfig({ HERALD_BOOTSTRAP_API_KEY: 'abc' }), /HERALD_BOOTSTRAP_API_KEY/);
  });
});
