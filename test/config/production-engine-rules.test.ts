import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadEnvConfig } from '../../src/config/env-config.ts';
import { DEV_RECIPIENT_HASH_SECRET } from '../../src/core/identity/recipient-privacy.ts';

const SECRET = 'a-recipient-hash-secret-of-32-chars-or-more';

/** The problems loadEnvConfig lists for `env`, or [] when it accepts it. */
function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadEnvConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('rules once a production engine is configured', () => {
  const engines: Record<string, string>[] = [
    { HERALD_KAFKA_BROKERS: '127.0.0.1:9092' },
    { HERALD_REDIS_URL: 'redis://127.0.0.1:6379' },
    { HERALD_DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' },
  ];
  for (const engine of engines) {
    const name = Object.keys(engine)[0]!;

    it(`${name}: refuses to start without a recipient-hash secret, saying how to make one`, () => {
      const problems = problemsOf({ ...engine, HERALD_SIMULATORS: 'in-process' });
      assert.equal(problems.length, 1);
      assert.match(problems[0]!, /HERALD_RECIPIENT_HASH_SECRET is required/);
      assert.match(problems[0]!, new RegExp(name));
      assert.match(problems[0]!, /openssl rand -base64 32/);
    });

    it(`${name}: refuses to start when HERALD_SIMULATORS is left to its default`, () => {
      const problems = problemsOf({ ...engine, HERALD_RECIPIENT_HASH_SECRET: SECRET });
      assert.equal(problems.length, 1);
      assert.match(problems[0]!, /HERALD_SIMULATORS must be set explicitly/);
      assert.match(problems[0]!, /in-process to try herald/);
      assert.match(problems[0]!, /off for real vendors/);
    });
  }

  it('starts with a secret and simulators chosen explicitly', () => {
    const config = loadEnvConfig({
      HERALD_KAFKA_BROKERS: '127.0.0.1:9092',
      HERALD_RECIPIENT_HASH_SECRET: SECRET,
      HERALD_SIMULATORS: 'in-process',
    });
    assert.equal(config.recipientHashSecret, SECRET);
    assert.equal(config.simulators, 'in-process');
  });

  it('refuses the published development secret given explicitly', () => {
    const problems = problemsOf({
      HERALD_REDIS_URL: 'redis://127.0.0.1:6379',
      HERALD_RECIPIENT_HASH_SECRET: DEV_RECIPIENT_HASH_SECRET,
      HERALD_SIMULATORS: 'off',
    });
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /must not be the published development default/);
  });

  it('needs neither on the embedded default', () => {
    const config = loadEnvConfig({});
    assert.equal(config.recipientHashSecret, DEV_RECIPIENT_HASH_SECRET);
    assert.equal(config.simulators, 'in-process');
  });
});

describe('secret lengths', () => {
  it('refuses a recipient-hash secret under 32 characters, without echoing it', () => {
    const short = 'x'.repeat(31);
    const problems = problemsOf({ HERALD_RECIPIENT_HASH_SECRET: short });
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /HERALD_RECIPIENT_HASH_SECRET must be at least 32 characters, got 31/);
    assert.ok(!problems[0]!.includes(short));
  });

  it('refuses a bootstrap key under 32 characters (the old 29-character test key included)', () => {
    const problems = problemsOf({ HERALD_BOOTSTRAP_API_KEY: 'test-bootstrap-key-0123456789' });
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /HERALD_BOOTSTRAP_API_KEY must be at least 32 characters, got 29/);
    assert.equal(loadEnvConfig({ HERALD_BOOTSTRAP_API_KEY: 'k'.repeat(32) }).bootstrapApiKey, 'k'.repeat(32));
  });
});

describe('HERALD_TRANSPORT_RETENTION_HOURS', () => {
  it('defaults to 24 hours and takes 0 (delete once committed) to 720', () => {
    assert.equal(loadEnvConfig({}).transportRetentionMs, 24 * 3_600_000);
    assert.equal(loadEnvConfig({ HERALD_TRANSPORT_RETENTION_HOURS: '0' }).transportRetentionMs, 0);
    assert.match(problemsOf({ HERALD_TRANSPORT_RETENTION_HOURS: '721' })[0]!, /from 0 to 720/);
  });
});
