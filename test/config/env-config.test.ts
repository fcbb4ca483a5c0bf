import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRedisUrl } from '../../src/adapters/redis/redis-url.ts';
import { ConfigError, loadClientEnv, loadEnvConfig } from '../../src/config/env-config.ts';
import { TEST_RECIPIENT_HASH_SECRET } from '../support/production-env.ts';

/** What a production engine needs besides its URL (production-engine-rules.ts), so only the URL is judged. */
const PRODUCTION_RULES_MET = {
  HERALD_RECIPIENT_HASH_SECRET: TEST_RECIPIENT_HASH_SECRET,
  HERALD_SIMULATORS: 'in-process',
};

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

  it('reads the trusted proxies as addresses and CIDR ranges, refusing anything else', () => {
    assert.deepEqual(loadEnvConfig({}).trustProxy, []);
    assert.deepEqual(loadEnvConfig({ HERALD_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,::1,fd00::/8' }).trustProxy, [
      '10.0.0.0/8',
      '127.0.0.1',
      '::1',
      'fd00::/8',
    ]);
    assert.throws(
      () => loadEnvConfig({ HERALD_TRUST_PROXY: '10.0.0.0/33,lb.internal,true' }),
      /HERALD_TRUST_PROXY must be IP addresses or CIDR ranges, comma-separated; not: 10\.0\.0\.0\/33, lb\.internal, true/,
    );
  });
  it('accepts exactly the Redis URLs the Redis adapter accepts (one parser for both)', () => {
    const urls = [
      'redis://127.0.0.1:6379',
      'rediss://app:s%40cret@cache.internal:6380/2',
      'redis://10.0.0.1:7000,10.0.0.2:7000,10.0.0.3:7000',
      'redis+cluster://10.0.0.1:7000,[::1]:7001',
      'rediss+cluster://user:pw@cache-1:7000,cache-2:7000',
      'redis://cache',
      'redis://cache:6379/0?timeout=5',
      'redis+cluster://a:1,b:2/3',
      'redis://cache:99999',
      'http://cache:6379',
      'redis-sentinel://s1:26379/mymaster',
    ];
    for (const url of urls) {
      const adapterAccepts = (() => {
        try {
          parseRedisUrl(url);
          return true;
        } catch {
          return false;
        }
      })();
      const envAccepts = (() => {
        try {
          return loadEnvConfig({ ...PRODUCTION_RULES_MET, HERALD_REDIS_URL: url }).redisUrl === url;
        } catch (error) {
          assert.ok(error instanceof ConfigError && /HERALD_REDIS_URL/.test(error.message), String(error));
          return false;
        }
      })();
      assert.equal(envAccepts, adapterAccepts, `${url}: env ${envAccepts}, adapter ${adapterAccepts}`);
    }
    assert.equal(
      loadEnvConfig({ ...PRODUCTION_RULES_MET, HERALD_REDIS_URL: 'redis://a:1,b:2' }).redisUrl,
      'redis://a:1,b:2',
    );
  });

  it('refuses a Redis URL without printing its password', () => {
    assert.throws(
      () => loadEnvConfig({ HERALD_REDIS_URL: 'memcached://user:hunter2@cache' }),
      (error: Error) => /HERALD_REDIS_URL/.test(error.message) && !error.message.includes('hunter2'),
    );
  });

  it('gives the HTTP server time-outs and connection cap, and refuses headers slower than the request', () => {
    assert.deepEqual(loadEnvConfig({}).http, {
      requestTimeoutMs: 30_000,
      headersTimeoutMs: 10_000,
      keepAliveTimeoutMs: 72_000,
      maxConnections: 1_000,
    });
    assert.throws(
      () => loadEnvConfig({ HERALD_HTTP_REQUEST_TIMEOUT_MS: '5000', HERALD_HTTP_HEADERS_TIMEOUT_MS: '6000' }),
      /HERALD_HTTP_HEADERS_TIMEOUT_MS must not be longer than HERALD_HTTP_REQUEST_TIMEOUT_MS/,
    );
  });

  it('tells herald send where herald is and which key to use', () => {
    assert.deepEqual(loadClientEnv({}), { url: 'http://127.0.0.1:8080', apiKey: undefined });
    assert.deepEqual(loadClientEnv({ HERALD_PORT: '9000', HERALD_BOOTSTRAP_API_KEY: 'boot-key-1' }), {
      url: 'http://127.0.0.1:9000',
      apiKey: 'boot-key-1',
    });
    assert.deepEqual(
      loadClientEnv({
        HERALD_URL: 'https://herald.internal/',
        HERALD_API_KEY: 'hk_1',
        HERALD_BOOTSTRAP_API_KEY: 'b',
      }),
      { url: 'https://herald.internal', apiKey: 'hk_1' },
    );
    assert.throws(() => loadClientEnv({ HERALD_URL: 'ftp://x' }), /HERALD_URL must be a URL/);
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
