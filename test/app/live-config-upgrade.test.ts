import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { findRemoteConfigProblems } from '../../src/api/remote-config-rules.ts';
import { LiveConfig } from '../../src/app/live-config.ts';
import { DEFAULT_REMOTE_CONFIG, SIMULATOR_VENDORS } from '../../src/config/default-remote-config.ts';
import { upgradeRemoteConfig } from '../../src/config/upgrade-remote-config.ts';
import { HeraldError } from '../../src/core/domain/errors.ts';
import type { RemoteConfig, RemoteConfigDocument } from '../../src/core/domain/remote-config.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { documentBeforeKinds } from '../support/older-remote-config.ts';

/** Versions in memory, with If-Match as the real stores do it. */
function memoryStore(initial: unknown) {
  const versions: RemoteConfig[] = [{ version: 1, updatedAt: 0, document: initial as RemoteConfigDocument }];
  return {
    versions,
    async getRemoteConfig() {
      return versions.at(-1);
    },
    async putRemoteConfig(document: RemoteConfigDocument, expectedVersion?: number) {
      if (expectedVersion !== undefined && expectedVersion !== versions.length) {
        throw new HeraldError('HERALD_CONFIG_CONFLICT', 'newer version stored');
      }
      const config = { version: versions.length + 1, updatedAt: 0, document };
      versions.push(config);
      return config;
    },
    watchRemoteConfig: () => () => {},
  };
}

function load(store: ReturnType<typeof memoryStore>, lines: { msg: string; changes?: string[] }[] = []) {
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return LiveConfig.load({
    store,
    defaults: DEFAULT_REMOTE_CONFIG,
    problemsOf: (document) => findRemoteConfigProblems(document, SIMULATOR_VENDORS),
    upgrade: upgradeRemoteConfig,
    logger: createLogger({ level: 'info', destination }),
  });
}

describe('LiveConfig upgrades a document stored by an older herald', () => {
  it('stores the upgrade once as a new version, says what changed, and runs on it', async () => {
    const store = memoryStore(documentBeforeKinds());
    const lines: { msg: string; changes?: string[] }[] = [];
    const config = await load(store, lines);
    assert.equal(config.version, 2);
    assert.deepEqual(
      config.current().routing.push.map((route) => route.vendor),
      ['fcm', 'apns'],
    );
    const upgraded = lines.find((line) => /upgraded as version 2/.test(line.msg));
    assert.ok(upgraded, JSON.stringify(lines));
    assert.ok(upgraded.changes?.includes('routing.push: sim-fcm is now fcm'));
    config.close();

    const again = await load(store);
    assert.equal(again.version, 2, 'nothing more to upgrade at the next start');
    assert.equal(store.versions.length, 2);
    again.close();
  });

  it('uses the version another process stored first when both start at once', async () => {
    const store = memoryStore(documentBeforeKinds());
    const [a, b] = await Promise.all([load(store), load(store)]);
    assert.equal(store.versions.length, 2, 'one upgrade stored');
    assert.equal(a.version, 2);
    assert.equal(b.version, 2);
    assert.deepEqual(a.current(), b.current());
    a.close();
    b.close();
  });
});
