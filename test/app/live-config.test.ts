import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { LiveConfig } from '../../src/app/live-config.ts';
import { DEFAULT_REMOTE_CONFIG } from '../../src/config/default-remote-config.ts';
import type { RemoteConfig, RemoteConfigDocument } from '../../src/core/domain/remote-config.ts';
import { createLogger } from '../../src/observability/logger.ts';

/** A config store that keeps versions in memory and tells its watchers at once. */
function memoryStore(initial?: RemoteConfigDocument) {
  const versions: RemoteConfig[] = [];
  const watchers = new Set<(config: RemoteConfig) => void>();
  const put = (document: RemoteConfigDocument) => {
    const config = { version: versions.length + 1, updatedAt: 0, document };
    versions.push(config);
    for (const watcher of watchers) watcher(config);
    return config;
  };
  if (initial) put(initial);
  return {
    /** Writes straight into the store, as a hand-made row or an older herald would: no validation. */
    put,
    async getRemoteConfig() {
      return versions.at(-1);
    },
    async putRemoteConfig(document: RemoteConfigDocument) {
      return put(document);
    },
    watchRemoteConfig(onChange: (config: RemoteConfig) => void) {
      watchers.add(onChange);
      return () => watchers.delete(onChange);
    },
  };
}

/** Problems as the real check reports them, for one rule: a time limit above 60 s. */
const problemsOf = (document: unknown) =>
  Object.entries((document as RemoteConfigDocument).vendors)
    .filter(([, settings]) => settings.timeoutMs > 60_000)
    .map(([vendor]) => `vendors.${vendor}.timeoutMs must be <= 60000`);

function capturedLog() {
  const lines: { level: number; msg: string; problems?: string[] }[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: createLogger({ level: 'info', destination }), lines };
}

const withTimeout = (timeoutMs: number): RemoteConfigDocument => ({
  ...DEFAULT_REMOTE_CONFIG,
  vendors: {
    ...DEFAULT_REMOTE_CONFIG.vendors,
    'sim-sms-a': { ...DEFAULT_REMOTE_CONFIG.vendors['sim-sms-a']!, timeoutMs },
  },
});

describe('LiveConfig', () => {
  it('refuses a stored version that fails validation, logs why and keeps the last good one', async () => {
    const store = memoryStore(withTimeout(4_000));
    const { logger, lines } = capturedLog();
    const refusedVersions: number[] = [];
    const config = await LiveConfig.load({
      store,
      defaults: DEFAULT_REMOTE_CONFIG,
      problemsOf,
      logger,
      onRefused: (version) => refusedVersions.push(version),
    });
    const applied: number[] = [];
    config.onChange((c) => applied.push(c.version));

    store.put(withTimeout(3e9));
    assert.equal(config.version, 1);
    assert.equal(config.current().vendors['sim-sms-a']?.timeoutMs, 4_000);
    const error = lines.find((line) => line.level === 50);
    assert.match(error?.msg ?? '', /remote config version 2 refused \(1 problem\(s\)\); keeping version 1/);
    assert.deepEqual(error?.problems, ['vendors.sim-sms-a.timeoutMs must be <= 60000']);

    store.put(withTimeout(6_000));
    assert.equal(config.current().vendors['sim-sms-a']?.timeoutMs, 6_000);
    assert.deepEqual(applied, [3], 'listeners (the lane workers) never saw version 2');
    assert.deepEqual(refusedVersions, [2]);
    config.close();
  });

  it('runs on the built-in defaults when the stored version is invalid at start', async () => {
    const store = memoryStore(withTimeout(3e9));
    const { logger, lines } = capturedLog();
    const config = await LiveConfig.load({ store, defaults: DEFAULT_REMOTE_CONFIG, problemsOf, logger });
    assert.equal(config.current(), DEFAULT_REMOTE_CONFIG);
    assert.equal(config.version, 1, 'the stored version counts, so the next valid one applies');
    assert.ok(lines.some((line) => line.level === 50 && /built-in defaults/.test(line.msg)));
    store.put(withTimeout(2_000));
    assert.equal(config.version, 2);
    assert.equal(config.current().vendors['sim-sms-a']?.timeoutMs, 2_000);
    config.close();
  });

  it('stores the defaults on first start', async () => {
    const store = memoryStore();
    const { logger } = capturedLog();
    const config = await LiveConfig.load({ store, defaults: DEFAULT_REMOTE_CONFIG, problemsOf, logger });
    assert.equal(config.version, 1);
    assert.equal((await store.getRemoteConfig())?.document, DEFAULT_REMOTE_CONFIG);
    config.close();
  });
});
