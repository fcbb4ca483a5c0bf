import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { RedisIdempotencyStore } from '../../../src/adapters/redis/redis-idempotency-store.ts';
import { describeIdempotencyStoreContract } from '../../contracts/idempotency-store.contract.ts';
import { ENGINE_URLS, engineSkip } from '../../support/engines.ts';
import { freePort, startRedisCluster } from '../../support/redis-server-process.ts';

const MINUTE_MS = 60_000;
const skip = await engineSkip('redis');
/** Keys of this run never meet keys of another run on the shared Redis. */
const runId = randomUUID().slice(0, 8);
const runPrefix = `hi-test-${runId}:`;
const recentPrefix = `hr-test-${runId}:`;
const onRun = { url: ENGINE_URLS.redis, keyPrefix: runPrefix, recentKeyPrefix: recentPrefix };

describe('redis idempotency store', { skip }, () => {
  describeIdempotencyStoreContract('redis', async () => {
    const store = new RedisIdempotencyStore(onRun);
    return { store, cleanup: () => store.close() };
  });

  describe('adapter only', () => {
    let cluster: Awaited<ReturnType<typeof startRedisCluster>> | undefined;
    after(async () => cluster?.dispose());

    it('keeps a record as one string with the lease, then the window, as its TTL', async () => {
      const store = new RedisIdempotencyStore({ url: ENGINE_URLS.redis, keyPrefix: runPrefix });
      const admin = new Redis(ENGINE_URLS.redis);
      try {
        const claim = await store.claim('ttl', 'fp', 5_000);
        assert.equal(claim.state, 'claimed');
        const leaseTtl = await admin.pttl(`${runPrefix}ttl`);
        assert.ok(leaseTtl > 0 && leaseTtl <= 5_000, `lease TTL ${leaseTtl}`);
        if (claim.state === 'claimed') {
          await store.complete('ttl', claim.token, { fingerprint: 'fp', answer: '{"a":1}' }, MINUTE_MS);
        }
        assert.equal(await admin.get(`${runPrefix}ttl`), 'c:fp:{"a":1}');
        const windowTtl = await admin.pttl(`${runPrefix}ttl`);
        assert.ok(windowTtl > 5_000 && windowTtl <= MINUTE_MS, `window TTL ${windowTtl}`);
      } finally {
        await store.close();
        admin.disconnect();
      }
    });

    it('remembers each entry as a string under the recent prefix, with the TTL', async () => {
      const store = new RedisIdempotencyStore(onRun);
      const admin = new Redis(ENGINE_URLS.redis);
      try {
        await store.remember(
          [
            { key: 'req:c1:r1', value: '{"a":1}' },
            { key: 'msg:c1:m1', value: '{"b":2}' },
          ],
          MINUTE_MS,
        );
        assert.equal(await admin.get(`${recentPrefix}req:c1:r1`), '{"a":1}');
        assert.equal(await admin.get(`${recentPrefix}msg:c1:m1`), '{"b":2}');
        const ttl = await admin.pttl(`${recentPrefix}msg:c1:m1`);
        assert.ok(ttl > MINUTE_MS - 5_000 && ttl <= MINUTE_MS, `TTL ${ttl}`);
        assert.equal(await admin.exists(`${runPrefix}req:c1:r1`), 0);
      } finally {
        await store.close();
        admin.disconnect();
      }
    });

    it('refuses key prefixes that overlap (a remembered key could be a record)', () => {
      for (const [keyPrefix, recentKeyPrefix] of [
        ['h:', 'h:'],
        ['h:', 'h:r:'],
        ['ns:hi:', 'ns:'],
      ] as const) {
        assert.throws(
          () => new RedisIdempotencyStore({ url: ENGINE_URLS.redis, keyPrefix, recentKeyPrefix }),
          /overlap/,
        );
      }
    });

    it('works on a Redis Cluster (single-key commands and scripts)', async () => {
      cluster ??= await startRedisCluster();
      const store = new RedisIdempotencyStore({ url: cluster.url });
      try {
        const keys = Array.from({ length: 20 }, (_, i) => `cluster-${i}`);
        const claims = await Promise.all(keys.map((key) => store.claim(key, 'fp', MINUTE_MS)));
        assert.ok(claims.every((claim) => claim.state === 'claimed'));
        await Promise.all(
          claims.map((claim, i) =>
            claim.state === 'claimed'
              ? i % 2 === 0
                ? store.complete(keys[i]!, claim.token, { fingerprint: 'fp', answer: String(i) }, MINUTE_MS)
                : store.release(keys[i]!, claim.token)
              : undefined,
          ),
        );
        const again = await Promise.all(keys.map((key) => store.claim(key, 'fp', MINUTE_MS)));
        assert.deepEqual(
          again.map((claim) => claim.state),
          keys.map((_, i) => (i % 2 === 0 ? 'completed' : 'claimed')),
        );
        // Entries of one remember fall in many slots: one command each, no cross-slot error.
        await store.remember(
          keys.map((key, i) => ({ key, value: `v${i}` })),
          MINUTE_MS,
        );
        assert.deepEqual(
          await Promise.all(keys.map((key) => store.recall(key))),
          keys.map((_, i) => `v${i}`),
        );
      } finally {
        await store.close();
      }
    });

    it('fails fast as unavailable when Redis is not there', async () => {
      const store = new RedisIdempotencyStore({
        url: `redis://127.0.0.1:${await freePort()}`,
        connectTimeoutMs: 500,
      });
      try {
        await assert.rejects(store.claim('k', 'fp', MINUTE_MS), {
          code: 'HERALD_UNAVAILABLE',
          retryable: true,
        });
        await assert.rejects(store.remember([{ key: 'k', value: 'v' }], MINUTE_MS), {
          code: 'HERALD_UNAVAILABLE',
          retryable: true,
        });
        await assert.rejects(store.recall('k'), { code: 'HERALD_UNAVAILABLE', retryable: true });
      } finally {
        await store.close();
      }
    });
  });
});
