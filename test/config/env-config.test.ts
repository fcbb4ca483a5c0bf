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

  it('rejects a too-short bootstrap key', () => {
    assert.throws(() => loadEnvConfig({ HERALD_BOOTSTRAP_API_KEY: 'abc' }), /HERALD_BOOTSTRAP_API_KEY/);
  });

  it('paces the 08:00 night-ad wave at 500 a second unless told otherwise, and refuses 0', () => {
    assert.equal(loadEnvConfig({}).nightAdReleasePerSecond, 500);
    assert.equal(
      loadEnvConfig({ HERALD_NIGHT_AD_RELEASE_PER_SECOND: '2000' }).nightAdReleasePerSecond,
      2_000,
    );
    assert.throws(
      () => loadEnvConfig({ HERALD_NIGHT_AD_RELEASE_PER_SECOND: '0' }),
      /HERALD_NIGHT_AD_RELEASE_PER_SECOND must be an integer from 1 to 100000/,
    );
  });
});
