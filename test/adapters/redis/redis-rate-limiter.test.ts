import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { RedisRateLimiter } from '../../../src/adapters/redis/redis-rate-limiter.ts';
import type { RateRule } from '../../../src/ports/rate-limiter.ts';
import { describeRateLimiterContract } from '../../contracts/rate-limiter.contract.ts';
import { ENGINE_URLS, engineSkip } from '../../support/engines.ts';
import { freePort, RedisServerProcess } from '../../support/redis-server-process.ts';

const skip = await engineSkip('redis');

/** Scripts Redis ran so far (the limiter's counters are one Lua script per decision). */
async function scriptCalls(client: Redis): Promise<number> {
  const stats = await client.info('commandstats');
  return [...stats.matchAll(/^cmdstat_(?:evalsha|eval):calls=(\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);
}
/** Keys of this run never meet keys of another run on the shared Redis. */
const runPrefix = () => `rl-test-${randomUUID().slice(0, 8)}:`;
const rule = (points: number): RateRule => ({ name: `r-${randomUUID()}`, points, windowSeconds: 60 });

async function allowedOf(limiters: readonly RedisRateLimiter[], r: RateRule, times: number): Promise<number> {
  let allowed = 0;
  for (let i = 0; i < times; i++) {
    if ((await limiters[i % limiters.length]!.consume(r, 'shop', 1)).allowed) allowed++;
  }
  return allowed;
}

describe('RedisRateLimiter', { skip }, () => {
  describeRateLimiterContract('redis', async () => {
    const limiter = new RedisRateLimiter({ url: ENGINE_URLS.redis, keyPrefix: runPrefix() });
    return { store: limiter, cleanup: () => limiter.close() };
  });

  it('shares one allowance between API processes', async () => {
    const keyPrefix = runPrefix();
    const processes = [1, 2, 3].map(() => new RedisRateLimiter({ url: ENGINE_URLS.redis, keyPrefix }));
    try {
      assert.equal(await allowedOf(processes, rule(6), 12), 6, 'six in all, not six per process');
    } finally {
      await Promise.all(processes.map((limiter) => limiter.close()));
    }
  });

  it('refuses a key already over its allowance from memory, without asking Redis again', async () => {
    const redis = await RedisServerProcess.start();
    const limiter = new RedisRateLimiter({ url: redis.url });
    const client = new Redis(redis.url);
    try {
      const r = rule(3);
      assert.equal(await allowedOf([limiter], r, 4), 3, 'three allowed, the fourth refused by Redis');
      const before = await scriptCalls(client);
      const refusals = await Promise.all(Array.from({ length: 50 }, () => limiter.consume(r, 'shop', 1)));
      assert.ok(refusals.every((decision) => !decision.allowed && decision.retryAfterMs > 0));
      assert.equal(await scriptCalls(client), before, 'no Redis call for a key known to be over');
      assert.equal((await limiter.consume(r, 'another-client', 1)).allowed, true, 'other keys still count');
    } finally {
      client.disconnect();
      await limiter.close();
      await redis.stop();
    }
  });

  describe('when Redis is down', () => {
    let redis: RedisServerProcess;
    let limiter: RedisRateLimiter;
    const fallbacks: unknown[] = [];
    before(async () => {
      redis = await RedisServerProcess.start();
      limiter = new RedisRateLimiter({ url: redis.url, onFallback: (error) => fallbacks.push(error) });
    });
    after(async () => {
      await limiter.close();
      await redis.stop();
    });

    it('fails open to a limiter in this process, counted, and shares counts again once Redis is back', async () => {
      const r = rule(3);
      assert.equal(await allowedOf([limiter], r, 1), 1);
      assert.equal(fallbacks.length, 0);
      await redis.stop();
      assert.equal(await allowedOf([limiter], r, 5), 3, 'still limited, by the local counters');
      assert.equal(fallbacks.length, 5, 'every local decision counted');
      await redis.restart();
      await waitUntilDecidedInRedis(
        () => limiter.consume(rule(1_000), 'probe', 1),
        () => fallbacks.length,
      );
      const other = new RedisRateLimiter({ url: redis.url });
      try {
        // The restarted Redis is empty: the two processes share its fresh counters.
        const fresh = rule(2);
        assert.equal(await allowedOf([limiter, other], fresh, 4), 2);
      } finally {
        await other.close();
      }
    });
  });

  it('answers from local counters when Redis never was reachable', async () => {
    let fallbacks = 0;
    const limiter = new RedisRateLimiter({
      url: `redis://127.0.0.1:${await freePort()}`,
      connectTimeoutMs: 200,
      onFallback: () => fallbacks++,
    });
    try {
      assert.equal(await allowedOf([limiter], rule(2), 4), 2);
      assert.equal(fallbacks, 4);
    } finally {
      await limiter.close();
    }
  });
});

/** Waits until a decision no longer falls back (ioredis reconnects by itself, within seconds). */
async function waitUntilDecidedInRedis(
  decide: () => Promise<unknown>,
  fallbacks: () => number,
): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const before = fallbacks();
    await decide();
    if (fallbacks() === before) return;
    if (Date.now() > deadline) throw new Error('decisions still fall back 15 s after Redis restarted');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
