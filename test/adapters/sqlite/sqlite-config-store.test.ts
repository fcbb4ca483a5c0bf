import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { SqliteConfigStore } from '../../../src/adapters/sqlite/sqlite-config-store.ts';
import { DEFAULT_REMOTE_CONFIG } from '../../../src/config/default-remote-config.ts';
import type { RemoteConfig } from '../../../src/core/domain/remote-config.ts';
import { describeConfigStoreContract } from '../../contracts/config-store.contract.ts';
import { within } from '../../contracts/contract-helpers.ts';
import type { TempDirectory } from './temp-directory.ts';
import { tempDirectory } from './temp-directory.ts';

describeConfigStoreContract('sqlite', async () => {
  const dir = tempDirectory();
  const store = new SqliteConfigStore({ path: dir.file('config.db') });
  return {
    store,
    cleanup: async () => {
      await store.close();
      dir.remove();
    },
  };
});

describe('sqlite config store (adapter only)', () => {
  let dir: TempDirectory;
  let path: string;
  let open: SqliteConfigStore[];

  beforeEach(() => {
    dir = tempDirectory();
    path = dir.file('config.db');
    open = [];
  });
  afterEach(async () => {
    await Promise.all(open.map((store) => store.close()));
    dir.remove();
  });

  function openStore(): SqliteConfigStore {
    const store = new SqliteConfigStore({ path });
    open.push(store);
    return store;
  }

  it('a watcher sees a version stored by another connection to the same file', async () => {
    const admin = openStore();
    const worker = openStore();
    const arrived = new Promise<RemoteConfig>((resolve) => worker.watchRemoteConfig(resolve));
    const stored = await admin.putRemoteConfig(DEFAULT_REMOTE_CONFIG);
    assert.deepEqual(await within(1_000, 'the worker to see the new version', arrived), stored);
  });

  it('keeps config versions and API keys across close and reopen', async () => {
    const first = openStore();
    await first.putRemoteConfig(DEFAULT_REMOTE_CONFIG);
    const stored = await first.putRemoteConfig({ ...DEFAULT_REMOTE_CONFIG, smsAutoUpgrade: false });
    const key = await first.createApiKey({ keyId: 'k1', clientId: 'c1', role: 'admin', name: 'ops' }, 'h1');
    await first.close();

    const reopened = openStore();
    assert.deepEqual(await reopened.getRemoteConfig(), stored);
    assert.equal(stored.version, 2);
    assert.deepEqual(await reopened.findApiKeyByHash('h1'), key);
  });

  it('expects version 0 before anything was stored', async () => {
    const store = openStore();
    await assert.rejects(store.putRemoteConfig(DEFAULT_REMOTE_CONFIG, 1), { code: 'HERALD_CONFIG_CONFLICT' });
    assert.equal((await store.putRemoteConfig(DEFAULT_REMOTE_CONFIG, 0)).version, 1);
  });

  it('refuses a second API key with the same hash', async () => {
    const store = openStore();
    await store.createApiKey({ keyId: 'k1', clientId: 'c1', role: 'client', name: 'a' }, 'same-hash');
    await assert.rejects(
      store.createApiKey({ keyId: 'k2', clientId: 'c2', role: 'client', name: 'b' }, 'same-hash'),
      { code: 'HERALD_INTERNAL' },
    );
    assert.equal((await store.findApiKeyByHash('same-hash'))?.keyId, 'k1');
  });

  it('keeps other watchers running when one throws', async () => {
    const store = openStore();
    store.watchRemoteConfig(() => {
      throw new Error('a broken subscriber');
    });
    const arrived = new Promise<RemoteConfig>((resolve) => store.watchRemoteConfig(resolve));
    const stored = await store.putRemoteConfig(DEFAULT_REMOTE_CONFIG);
    assert.deepEqual(await within(1_000, 'the healthy watcher to be called', arrived), stored);
  });
});
