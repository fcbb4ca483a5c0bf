import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSenderCache } from '../../src/api/sender-cache.ts';
import { HeraldError } from '../../src/core/domain/errors.ts';
import type { SenderNumber } from '../../src/ports/sender-registry.ts';

const number = (digits: string): SenderNumber => ({ number: digits, isDefault: true, registeredAt: 0 });

/** A registry whose answers, failures and read count the test controls. */
function fakeRegistry() {
  const state = { numbers: [number('0212345678')], failing: false, reads: 0 };
  const registry = {
    async listSenderNumbers() {
      state.reads += 1;
      if (state.failing) throw new HeraldError('HERALD_UNAVAILABLE', 'registry down', { retryable: true });
      return state.numbers;
    },
    async listKakaoChannels() {
      return [];
    },
    async listEmailSenders() {
      return [];
    },
  };
  return { state, registry };
}

describe('sender cache', () => {
  it('reads a client once per ttl, and again once it has passed', async () => {
    const { state, registry } = fakeRegistry();
    let now = 0;
    const cache = createSenderCache(registry, { ttlMs: 5_000, now: () => now });
    await Promise.all([cache.listSenderNumbers('shop'), cache.listSenderNumbers('shop')]);
    await cache.listSenderNumbers('shop');
    assert.equal(state.reads, 1, 'concurrent callers share one read');
    state.numbers = [number('15881234')];
    now = 5_000;
    assert.deepEqual(
      (await cache.listSenderNumbers('shop')).map((n) => n.number),
      ['15881234'],
    );
    assert.equal(state.reads, 2);
  });

  it('forgets a client at once when told (a PUT through this process)', async () => {
    const { state, registry } = fakeRegistry();
    const cache = createSenderCache(registry, { ttlMs: 60_000, now: () => 0 });
    await cache.listSenderNumbers('shop');
    state.numbers = [];
    cache.forget('shop');
    assert.deepEqual(await cache.listSenderNumbers('shop'), []);
  });

  it('serves the last list while the registry fails, within staleIfErrorMs, asking again at most once a second', async () => {
    const { state, registry } = fakeRegistry();
    let now = 0;
    const cache = createSenderCache(registry, { ttlMs: 1_000, staleIfErrorMs: 60_000, now: () => now });
    await cache.listSenderNumbers('shop');
    state.failing = true;
    now = 2_000;
    assert.equal((await cache.listSenderNumbers('shop'))[0]?.number, '0212345678');
    const readsAfterFailure = state.reads;
    await cache.listSenderNumbers('shop');
    assert.equal(state.reads, readsAfterFailure, 'no second try within the retry pause');
    now = 61_000;
    await assert.rejects(cache.listSenderNumbers('shop'), { code: 'HERALD_UNAVAILABLE' });
    state.failing = false;
    now = 62_500;
    assert.equal((await cache.listSenderNumbers('shop')).length, 1, 'back once the registry answers');
  });

  it('fails without a list to fall back on', async () => {
    const { state, registry } = fakeRegistry();
    state.failing = true;
    const cache = createSenderCache(registry, { now: () => 0 });
    await assert.rejects(cache.listSenderNumbers('shop'), { code: 'HERALD_UNAVAILABLE' });
  });
});
