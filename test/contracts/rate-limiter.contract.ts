import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { RateLimiter, RateRule } from '../../src/ports/rate-limiter.ts';
import type { ContractFactory } from './contract-helpers.ts';
import { sleep, uniqueName } from './contract-helpers.ts';

/** Windows long enough that none ends during a test: the counts below never depend on timing. */
const LONG_WINDOW_S = 60;

/** What the API's admission relies on, for every limiter adapter. */
export function describeRateLimiterContract(name: string, makeLimiter: ContractFactory<RateLimiter>): void {
  describe(`${name} rate limiter contract`, () => {
    let limiter: RateLimiter;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store: limiter, cleanup } = await makeLimiter());
    });
    afterEach(async () => cleanup());

    const rule = (overrides: Partial<RateRule> = {}): RateRule => ({
      name: uniqueName('rule'),
      points: 3,
      windowSeconds: LONG_WINDOW_S,
      ...overrides,
    });
    const allowedOf = async (r: RateRule, key: string, times: number, points = 1) => {
      let allowed = 0;
      for (let i = 0; i < times; i++) if ((await limiter.consume(r, key, points)).allowed) allowed++;
      return allowed;
    };

    it('allows a key its points per window and refuses the rest, saying when to come back', async () => {
      const r = rule();
      assert.equal(await allowedOf(r, 'shop', 5), 3);
      const decision = await limiter.consume(r, 'shop', 1);
      assert.equal(decision.allowed, false);
      assert.ok(
        !decision.allowed && decision.retryAfterMs > 0 && decision.retryAfterMs <= LONG_WINDOW_S * 1_000,
      );
    });

    it('takes many points at once (the recipients of one request)', async () => {
      const r = rule({ points: 150 });
      assert.equal((await limiter.consume(r, 'shop', 100)).allowed, true);
      assert.equal((await limiter.consume(r, 'shop', 100)).allowed, false);
      assert.equal((await limiter.consume(r, 'shop', 50)).allowed, false, 'points taken while refused count');
    });

    it('counts keys and rules apart', async () => {
      const r = rule({ points: 1 });
      assert.equal(await allowedOf(r, 'flooder', 4), 1);
      assert.equal(await allowedOf(r, 'quiet', 1), 1);
      assert.equal(await allowedOf(rule({ points: 1 }), 'flooder', 1), 1);
    });

    it('admits a burst beyond the points while its own allowance lasts', async () => {
      const r = rule({ points: 2, burst: { points: 3, windowSeconds: LONG_WINDOW_S } });
      assert.equal(await allowedOf(r, 'shop', 8), 5);
    });

    it('keeps a key that went over refused for blockSeconds, and peek takes nothing', async () => {
      const r = rule({ points: 2, blockSeconds: 2 * LONG_WINDOW_S });
      for (let i = 0; i < 5; i++) assert.deepEqual(await limiter.peek(r, '192.0.2.7'), { allowed: true });
      assert.equal(await allowedOf(r, '192.0.2.7', 2), 2, 'peeking took no points');
      assert.equal((await limiter.consume(r, '192.0.2.7', 1)).allowed, false);
      const blocked = await limiter.peek(r, '192.0.2.7');
      assert.ok(!blocked.allowed && blocked.retryAfterMs > LONG_WINDOW_S * 1_000, 'blocked past the window');
      assert.deepEqual(await limiter.peek(r, '192.0.2.8'), { allowed: true });
    });

    it('allows a refused key again once its window has passed', async () => {
      const r = rule({ points: 1, windowSeconds: 1 });
      assert.equal(await allowedOf(r, 'shop', 2), 1);
      const refused = await limiter.consume(r, 'shop', 1);
      assert.ok(!refused.allowed);
      await sleep(refused.retryAfterMs + 100);
      assert.equal((await limiter.consume(r, 'shop', 1)).allowed, true);
    });
  });
}
