import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createApiKeyAuthenticator } from '../../src/api/api-key-auth.ts';
import { hashApiKey } from '../../src/core/auth/api-keys.ts';
import type { ApiKeyRecord } from '../../src/ports/config-store.ts';

const KEY = 'hk_test';
const record: ApiKeyRecord = {
  keyId: 'k',
  clientId: 'shop',
  role: 'client',
  name: 'k',
  createdAt: 0,
  revokedAt: null,
};

function store(initial: ApiKeyRecord | undefined) {
  const state = { record: initial, lookups: 0, fail: false };
  return {
    state,
    async findApiKeyByHash(keyHash: string) {
      state.lookups += 1;
      if (state.fail) throw new Error('config store down');
      return keyHash === hashApiKey(KEY) ? state.record : undefined;
    },
  };
}

describe('createApiKeyAuthenticator', () => {
  it('serves a key from cache within the TTL and sees a revocation after it', async () => {
    let now = 0;
    const keys = store(record);
    const auth = createApiKeyAuthenticator(keys, { ttlMs: 10_000, now: () => now });
    assert.equal((await auth.authenticate(`Bearer ${KEY}`)).clientId, 'shop');
    keys.state.record = { ...record, revokedAt: 5 };
    now = 9_999;
    assert.equal((await auth.authenticate(`bearer ${KEY}`)).clientId, 'shop');
    assert.equal(keys.state.lookups, 1);
    now = 10_001;
    await assert.rejects(auth.authenticate(`Bearer ${KEY}`), {
      code: 'HERALD_UNAUTHORIZED',
      message: /revoked/,
    });
  });

  it('remembers unknown keys only briefly', async () => {
    let now = 0;
    const keys = store(undefined);
    const auth = createApiKeyAuthenticator(keys, { ttlMs: 10_000, unknownKeyTtlMs: 1_000, now: () => now });
    await assert.rejects(auth.authenticate(`Bearer ${KEY}`), { code: 'HERALD_UNAUTHORIZED' });
    await assert.rejects(auth.authenticate(`Bearer ${KEY}`), { code: 'HERALD_UNAUTHORIZED' });
    assert.equal(keys.state.lookups, 1);
    keys.state.record = record;
    now = 1_001;
    assert.equal((await auth.authenticate(`Bearer ${KEY}`)).keyId, 'k');
  });

  it('answers HERALD_UNAVAILABLE when the store fails, and does not cache the failure', async () => {
    const keys = store(record);
    keys.state.fail = true;
    const auth = createApiKeyAuthenticator(keys);
    await assert.rejects(auth.authenticate(`Bearer ${KEY}`), { code: 'HERALD_UNAVAILABLE' });
    keys.state.fail = false;
    assert.equal((await auth.authenticate(`Bearer ${KEY}`)).keyId, 'k');
  });

  describe('stale-if-error', () => {
    /** A key the store has answered once, then a store that fails; `clock.now` drives time. */
    async function storeFailsAfterOneLookup(options: { staleIfErrorMs?: number } = {}) {
      const clock = { now: 0 };
      const keys = store(record);
      const auth = createApiKeyAuthenticator(keys, { ttlMs: 10_000, ...options, now: () => clock.now });
      await auth.authenticate(`Bearer ${KEY}`);
      keys.state.fail = true;
      return { clock, keys, auth };
    }

    it('serves the last-known record while the store fails, within staleIfErrorMs', async () => {
      const { clock, keys, auth } = await storeFailsAfterOneLookup({ staleIfErrorMs: 60_000 });
      clock.now = 10_000;
      assert.equal((await auth.authenticate(`Bearer ${KEY}`)).keyId, 'k');
      assert.equal(keys.state.lookups, 2);
      // Within a second of the failure the store is not asked again; the stale record answers.
      clock.now = 10_500;
      assert.equal((await auth.authenticate(`Bearer ${KEY}`)).keyId, 'k');
      assert.equal(keys.state.lookups, 2);
      clock.now = 60_000;
      assert.equal((await auth.authenticate(`Bearer ${KEY}`)).keyId, 'k');
      assert.equal(keys.state.lookups, 3);
    });

    it('answers HERALD_UNAVAILABLE once the last answer is older than staleIfErrorMs', async () => {
      const { clock, keys, auth } = await storeFailsAfterOneLookup({ staleIfErrorMs: 60_000 });
      clock.now = 60_001;
      await assert.rejects(auth.authenticate(`Bearer ${KEY}`), { code: 'HERALD_UNAVAILABLE' });
      await assert.rejects(auth.authenticate(`Bearer ${KEY}`), { code: 'HERALD_UNAVAILABLE' });
      assert.equal(keys.state.lookups, 3);
    });

    it('never serves an unknown or revoked answer stale', async () => {
      let now = 0;
      const keys = store(undefined);
      const auth = createApiKeyAuthenticator(keys, { ttlMs: 10_000, unknownKeyTtlMs: 1_000, now: () => now });
      await assert.rejects(auth.authenticate(`Bearer ${KEY}`), { code: 'HERALD_UNAUTHORIZED' });
      keys.state.fail = true;
      now = 1_000;
      await assert.rejects(auth.authenticate(`Bearer ${KEY}`), { code: 'HERALD_UNAVAILABLE' });
      await assert.rejects(auth.authenticate('Bearer hk_never_seen'), { code: 'HERALD_UNAVAILABLE' });

      keys.state.fail = false;
      keys.state.record = { ...record, revokedAt: 5 };
      await assert.rejects(auth.authenticate(`Bearer ${KEY}`), { message: /revoked/ });
      keys.state.fail = true;
      now = 20_000;
      await assert.rejects(auth.authenticate(`Bearer ${KEY}`), { code: 'HERALD_UNAVAILABLE' });
    });

    it('uses the store again once it recovers: a key revoked during the outage is refused', async () => {
      const { clock, keys, auth } = await storeFailsAfterOneLookup();
      clock.now = 10_000;
      assert.equal((await auth.authenticate(`Bearer ${KEY}`)).keyId, 'k');
      keys.state.record = { ...record, revokedAt: 10_100 };
      keys.state.fail = false;
      clock.now = 10_500; // the store is not retried within a second of the failure
      assert.equal((await auth.authenticate(`Bearer ${KEY}`)).keyId, 'k');
      clock.now = 11_000;
      await assert.rejects(auth.authenticate(`Bearer ${KEY}`), { message: /revoked/ });
      clock.now = 15_000;
      await assert.rejects(auth.authenticate(`Bearer ${KEY}`), { message: /revoked/ });
      assert.equal(keys.state.lookups, 3);
    });

    it('keeps one lookup in flight per key; callers during a retry get the stale record', async () => {
      const { clock, keys, auth } = await storeFailsAfterOneLookup();
      clock.now = 10_000;
      const first = await Promise.all([1, 2, 3].map(() => auth.authenticate(`Bearer ${KEY}`)));
      assert.deepEqual(
        first.map((found) => found.keyId),
        ['k', 'k', 'k'],
      );
      assert.equal(keys.state.lookups, 2);
      clock.now = 11_000;
      const retry = await Promise.all([1, 2, 3].map(() => auth.authenticate(`Bearer ${KEY}`)));
      assert.deepEqual(
        retry.map((found) => found.keyId),
        ['k', 'k', 'k'],
      );
      assert.equal(keys.state.lookups, 3);
    });
  });

  it('refuses missing and malformed headers without a lookup', async () => {
    const keys = store(record);
    const auth = createApiKeyAuthenticator(keys);
    for (const header of [undefined, '', 'Bearer', `Token ${KEY}`, `Bearer ${KEY} extra`]) {
      await assert.rejects(auth.authenticate(header), { code: 'HERALD_UNAUTHORIZED' }, String(header));
    }
    assert.equal(keys.state.lookups, 0);
  });

  it('stays bounded: the oldest entry goes when the cache is full', async () => {
    const keys = store(record);
    const auth = createApiKeyAuthenticator(keys, { maxEntries: 2 });
    for (const key of [KEY, 'hk_a', 'hk_b', KEY]) {
      await auth.authenticate(`Bearer ${key}`).catch(() => undefined);
    }
    assert.equal(keys.state.lookups, 4);
  });
});
