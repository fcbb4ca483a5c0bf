import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { RedisVendorRate } from '../../../src/adapters/redis/redis-vendor-rate.ts';
import { describeVendorRateContract } from '../../contracts/vendor-rate.contract.ts';
import { ENGINE_URLS, engineSkip } from '../../support/engines.ts';
import { freePort, RedisServerProcess } from '../../support/redis-server-process.ts';

const skip = await engineSkip('redis');

/** Keys of this run never meet keys of another run on the shared Redis. */
const runPrefix = () => `vr-test-${randomUUID().slice(0, 8)}:`;
const never = new AbortController().signal;

/** Scripts Redis ran so far (one take is one script). */
async function scriptCalls(client: Redis): Promise<number> {
  const stats = await client.info('commandstats');
  return [...stats.matchAll(/^cmdstat_(?:evalsha|eval):calls=(\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);
}

describe('RedisVendorRate', { skip }, () => {
  describeVendorRateContract('redis', async () => {
    const keyPrefix = runPrefix();
    const rate = new RedisVendorRate({ url: ENGINE_URLS.redis, keyPrefix });
    const peer = new RedisVendorRate({ url: ENGINE_URLS.redis, keyPrefix });
    return {
      store: rate,
      peer,
      cleanup: async () => {
        await rate.close();
        await peer.close();
      },
    };
  });

  it('takes tokens in chunks: a thousand sends at 10,000/s cost a handful of round trips', async () => {
    const redis = await RedisServerProcess.start();
    const rate = new RedisVendorRate({ url: redis.url });
    const client = new Redis(redis.url);
    try {
      await rate.acquire('warm-up', 1, 10_000, never);
      const before = await scriptCalls(client);
      for (let i = 0; i < 1_000; i++) await rate.acquire('sms', 1, 10_000, never);
      const calls = (await scriptCalls(client)) - before;
      assert.ok(calls <= 5, `${calls} round trips for 1,000 sends`);
    } finally {
      client.disconnect();
      await rate.close();
      await redis.stop();
    }
  });

  it('keeps sending at the full rate from its own bucket while Redis is down, each take counted', async () => {
    const redis = await RedisServerProcess.start();
    let fallbacks = 0;
    const rate = new RedisVendorRate({ url: redis.url, onFallback: () => fallbacks++ });
    try {
      await rate.acquire('sms', 1, 100, never);
      assert.equal(fallbacks, 0);
      await redis.stop();
      // Beyond what the process held from its last round trip, so it must ask (and fall back).
      for (let i = 0; i < 30; i++) await rate.acquire('sms', 1, 100, never);
      assert.ok(fallbacks > 0, 'the takes Redis could not answer were counted');
    } finally {
      await rate.close();
      await redis.stop();
    }
  });

  it('paces from its own bucket when Redis never was reachable', async () => {
    let fallbacks = 0;
    const rate = new RedisVendorRate({
      url: `redis://127.0.0.1:${await freePort()}`,
      connectTimeoutMs: 200,
      onFallback: () => fallbacks++,
    });
    try {
      await rate.acquire('sms', 10, 10, never);
      const started = performance.now();
      await rate.acquire('sms', 5, 10, never);
      assert.ok(performance.now() - started >= 400, 'still paced, by the local bucket');
      assert.equal(fallbacks, 2);
    } finally {
      await rate.close();
    }
  });
});
