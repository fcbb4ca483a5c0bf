import { RateLimiterRedis } from 'rate-limiter-flexible';
import type { RateDecision, RateLimiter, RateRule } from '../../ports/rate-limiter.ts';
import { createMemoryRateLimiter, FlexibleRateLimiter } from '../rate-limit/flexible-rate-limiter.ts';
import { fallbackConnection, type RedisFallbackOptions } from './fallback-connection.ts';
import type { RedisConnection } from './redis-connection.ts';

export type RedisRateLimiterOptions = RedisFallbackOptions;

/**
 * The production rate limiter: counters in Redis (rate-limiter-flexible's RateLimiterRedis, one
 * atomic script per decision, keys `<prefix><rule>:<key>` with their window as TTL), so every API
 * process counts against the same allowance.
 *
 * When Redis fails, it fails open to a limiter in this process's memory (the library's
 * insuranceLimiter idea, done here so each fallback can be counted): clients stay limited, per
 * process instead of across them, and the API keeps answering. Counting returns to Redis as soon
 * as it answers again.
 */
export class RedisRateLimiter implements RateLimiter {
  readonly #connection: RedisConnection;
  readonly #shared: FlexibleRateLimiter;
  readonly #local = createMemoryRateLimiter();
  readonly #onFallback: (error: unknown) => void;
  #closed = false;

  constructor(options: RedisRateLimiterOptions) {
    const prefix = options.keyPrefix ?? 'rl:';
    this.#onFallback = options.onFallback ?? (() => {});
    this.#connection = fallbackConnection('rate limiter', options);
    const client = this.#connection.client;
    this.#shared = new FlexibleRateLimiter(
      (limiter) =>
        new RateLimiterRedis({
          ...limiter,
          keyPrefix: `${prefix}${limiter.keyPrefix}`,
          storeClient: client,
          // Once a key is over its allowance, this process refuses it from memory until the window
          // ends (the library's in-memory block): a client hammering past its limit costs Redis
          // nothing more, and Redis would only say "no" again, since points are never given back.
          // Not for rules that block (failed auth): the library's in-memory block would replace
          // the block in Redis that every process must see.
          ...(limiter.blockDuration === 0 && { inMemoryBlockOnConsumed: limiter.points + 1 }),
        }),
    );
  }

  consume(rule: RateRule, key: string, points: number): Promise<RateDecision> {
    return this.#decide((limiter) => limiter.consume(rule, key, points));
  }

  peek(rule: RateRule, key: string): Promise<RateDecision> {
    return this.#decide((limiter) => limiter.peek(rule, key));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#connection.close();
    await this.#local.close();
  }

  async #decide(decide: (limiter: RateLimiter) => Promise<RateDecision>): Promise<RateDecision> {
    try {
      return await this.#connection.run('rate limit', () => decide(this.#shared));
    } catch (error) {
      this.#onFallback(error);
      return decide(this.#local);
    }
  }
}
