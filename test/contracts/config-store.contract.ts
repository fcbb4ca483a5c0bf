import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { DEFAULT_REMOTE_CONFIG } from '../../src/config/default-remote-config.ts';
import type { RemoteConfig, RemoteConfigDocument } from '../../src/core/domain/remote-config.ts';
import type { ConfigStore } from '../../src/ports/config-store.ts';
import type { ContractFactory } from './contract-helpers.ts';
import { sleep, uniqueName, within } from './contract-helpers.ts';

/** The port promises a change reaches subscribers within a second. */
const WATCH_PROMISE_MS = 1_000;

/** A document that differs from every other test's, so a stale read cannot pass for a fresh one. */
function distinctDocument(): RemoteConfigDocument {
  return { ...DEFAULT_REMOTE_CONFIG, defaultExpiresInSeconds: 1 + Math.floor(Math.random() * 1_000_000) };
}

export function describeConfigStoreContract(name: string, makeStore: ContractFactory<ConfigStore>): void {
  describe(`${name} config store contract`, () => {
    let store: ConfigStore;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, cleanup } = await makeStore());
    });
    afterEach(async () => cleanup());

    it('stores remote config versions one after another and reads back the latest', async () => {
      const first = await store.putRemoteConfig(distinctDocument());
      const secondDocument = distinctDocument();
      const second = await store.putRemoteConfig(secondDocument);
      assert.equal(second.version, first.version + 1);
      assert.ok(second.updatedAt >= first.updatedAt);
      const latest = await store.getRemoteConfig();
      assert.equal(latest?.version, second.version);
      assert.deepEqual(latest.document, secondDocument);
    });

    it('accepts a put made against the current version', async () => {
      const current = (await store.getRemoteConfig())?.version ?? 0;
      const stored = await store.putRemoteConfig(distinctDocument(), current);
      assert.equal(stored.version, current + 1);
    });

    it('refuses a put made against a stale version, keeping the stored config', async () => {
      const base = await store.putRemoteConfig(distinctDocument());
      const winner = await store.putRemoteConfig(distinctDocument(), base.version);
      await assert.rejects(store.putRemoteConfig(distinctDocument(), base.version), {
        code: 'HERALD_CONFIG_CONFLICT',
      });
      assert.deepEqual(await store.getRemoteConfig(), winner);
    });

    it('tells a watcher about a new version within a second', async () => {
      const seen: RemoteConfig[] = [];
      const arrived = new Promise<RemoteConfig>((resolve) => {
        const unsubscribe = store.watchRemoteConfig((config) => {
          seen.push(config);
          unsubscribe();
          resolve(config);
        });
      });
      const stored = await store.putRemoteConfig(distinctDocument());
      const config = await within(WATCH_PROMISE_MS, 'the watcher to see the new version', arrived);
      assert.deepEqual(config, stored);
    });

    it('tells a watcher about every version, in order', async () => {
      const seen: number[] = [];
      const unsubscribe = store.watchRemoteConfig((config) => seen.push(config.version));
      try {
        const stored: number[] = [];
        for (let i = 0; i < 3; i++) stored.push((await store.putRemoteConfig(distinctDocument())).version);
        const deadline = Date.now() + WATCH_PROMISE_MS;
        while (seen.length < 3 && Date.now() < deadline) await sleep(20);
        assert.deepEqual(seen, stored);
      } finally {
        unsubscribe();
      }
    });

    it('stops calling a watcher after it unsubscribes', async () => {
      const seen: number[] = [];
      const unsubscribe = store.watchRemoteConfig((config) => seen.push(config.version));
      unsubscribe();
      await store.putRemoteConfig(distinctDocument());
      await sleep(WATCH_PROMISE_MS + 200);
      assert.deepEqual(seen, []);
    });

    it('finds an API key by its hash, and shows its revocation', async () => {
      const keyId = uniqueName('key');
      const keyHash = uniqueName('hash');
      const created = await store.createApiKey(
        { keyId, clientId: uniqueName('client'), role: 'client', name: 'checkout service' },
        keyHash,
      );
      assert.equal(created.revokedAt, null);
      assert.equal(typeof created.createdAt, 'number');
      assert.deepEqual(await store.findApiKeyByHash(keyHash), created);
      assert.equal(await store.findApiKeyByHash(uniqueName('hash')), undefined);

      await store.revokeApiKey(keyId);
      const revoked = await store.findApiKeyByHash(keyHash);
      assert.equal(typeof revoked?.revokedAt, 'number');
      await store.revokeApiKey(keyId);
      assert.equal(
        (await store.findApiKeyByHash(keyHash))?.revokedAt,
        revoked?.revokedAt,
        'first revocation stays',
      );
    });

    it('stores a key under a fixed id; a new key under that id replaces the old, which stops working', async () => {
      const keyId = uniqueName('bootstrap');
      const [oldHash, newHash] = [uniqueName('hash'), uniqueName('hash')];
      const first = await store.putApiKey(
        { keyId, clientId: 'default', role: 'admin', name: 'bootstrap' },
        oldHash,
      );
      assert.equal(first.outcome, 'created');
      assert.deepEqual(
        await store.findApiKeyById(keyId),
        first.outcome === 'created' ? first.record : undefined,
      );

      const second = await store.putApiKey(
        { keyId, clientId: 'default', role: 'admin', name: 'bootstrap' },
        newHash,
      );
      assert.equal(second.outcome, 'replaced');
      assert.equal(await store.findApiKeyByHash(oldHash), undefined, 'the old key is gone');
      assert.equal((await store.findApiKeyByHash(newHash))?.keyId, keyId);
    });

    it('changes nothing when the same key is put again, and lifts no revocation', async () => {
      const keyId = uniqueName('bootstrap');
      const keyHash = uniqueName('hash');
      const record = { keyId, clientId: 'default', role: 'admin', name: 'bootstrap' } as const;
      const created = await store.putApiKey(record, keyHash);
      const again = await store.putApiKey(record, keyHash);
      assert.equal(again.outcome, 'unchanged');
      assert.deepEqual(
        again.outcome === 'unchanged' && again.record,
        created.outcome === 'created' && created.record,
      );

      await store.revokeApiKey(keyId);
      const revoked = await store.putApiKey(record, keyHash);
      assert.equal(revoked.outcome, 'unchanged');
      assert.equal(typeof (revoked.outcome === 'unchanged' && revoked.record.revokedAt), 'number');

      const rotated = await store.putApiKey(record, uniqueName('hash'));
      assert.equal(rotated.outcome, 'replaced');
      assert.equal(
        rotated.outcome === 'replaced' && rotated.record.revokedAt,
        null,
        'a new key is a new credential',
      );
    });

    it('reports a key stored under another id as taken, changing nothing', async () => {
      const keyHash = uniqueName('hash');
      const other = uniqueName('key');
      await store.createApiKey({ keyId: other, clientId: 'shop', role: 'client', name: 'cli' }, keyHash);
      const keyId = uniqueName('bootstrap');
      const result = await store.putApiKey(
        { keyId, clientId: 'default', role: 'admin', name: 'bootstrap' },
        keyHash,
      );
      assert.deepEqual(result, { outcome: 'taken', byKeyId: other });
      assert.equal(await store.findApiKeyById(keyId), undefined);
      assert.equal((await store.findApiKeyByHash(keyHash))?.role, 'client');
    });

    it('lists API keys with their revocation, never their hashes', async () => {
      const clientId = uniqueName('client');
      const [first, second] = [uniqueName('key-1'), uniqueName('key-2')];
      await store.createApiKey({ keyId: first, clientId, role: 'client', name: 'one' }, uniqueName('hash'));
      await store.createApiKey({ keyId: second, clientId, role: 'admin', name: 'two' }, uniqueName('hash'));
      await store.revokeApiKey(first);
      const listed = (await store.listApiKeys()).filter((record) => record.clientId === clientId);
      assert.deepEqual(
        listed.map(({ keyId, role, revokedAt }) => ({ keyId, role, revoked: revokedAt !== null })),
        [
          { keyId: first, role: 'client', revoked: true },
          { keyId: second, role: 'admin', revoked: false },
        ],
      );
      assert.deepEqual(Object.keys(listed[0]!).sort(), [
        'clientId',
        'createdAt',
        'keyId',
        'name',
        'revokedAt',
        'role',
      ]);
    });

    it('refuses to revoke an unknown API key', async () => {
      await assert.rejects(store.revokeApiKey(uniqueName('key')), { code: 'HERALD_NOT_FOUND' });
    });

    it("keeps an opt-out list per client and channel, and finds a request's opted-out hashes at once", async () => {
      const client = uniqueName('client');
      const [a, b, c] = [uniqueName('hash-a'), uniqueName('hash-b'), uniqueName('hash-c')];
      assert.deepEqual(await store.findOptOuts(client, 'sms', [a, b, c]), new Set());
      await store.addOptOut(client, 'sms', a);
      await store.addOptOut(client, 'sms', c);
      await store.addOptOut(client, 'sms', a); // a repeat is a no-op, not an error
      assert.deepEqual(await store.findOptOuts(client, 'sms', [a, b, c]), new Set([a, c]));
      assert.deepEqual(await store.findOptOuts(client, 'push', [a, b, c]), new Set(), 'other channel');
      assert.deepEqual(
        await store.findOptOuts(uniqueName('client'), 'sms', [a, c]),
        new Set(),
        'other client',
      );
      assert.deepEqual(await store.findOptOuts(client, 'sms', []), new Set());
    });

    it('removes an opt-out, and treats removing an unlisted one as a no-op', async () => {
      const client = uniqueName('client');
      const [a, b] = [uniqueName('hash-a'), uniqueName('hash-b')];
      await store.addOptOut(client, 'email', a);
      await store.addOptOut(client, 'email', b);
      await store.removeOptOut(client, 'email', a);
      await store.removeOptOut(client, 'email', a);
      await store.removeOptOut(client, 'sms', b); // another channel's list is left alone
      assert.deepEqual(await store.findOptOuts(client, 'email', [a, b]), new Set([b]));
    });

    it('answers a lookup of 100 recipients in one call', async () => {
      const client = uniqueName('client');
      const hashes = Array.from({ length: 100 }, (_, i) => `${uniqueName('hash')}-${i}`);
      const listed = hashes.filter((_, i) => i % 7 === 0);
      for (const hash of listed) await store.addOptOut(client, 'sms', hash);
      assert.deepEqual(await store.findOptOuts(client, 'sms', hashes), new Set(listed));
    });

    it('is healthy while open', async () => {
      assert.equal(await store.healthy(), true);
    });
  });
}
