import { RateLimiterRedis } from 'rate-limiter-flexible';
import type { RateDecision, RateLimiter, RateRule } from '../../ports/rate-limiter.ts';
import { createMemoryRateLimiter, FlexibleRateLimiter } from '../rate-limit/flexible-rate-limiter.ts';
import { RedisConnection } from './redis-connection.ts';

export interface RedisRateLimiterOptions {
  /** redis://host:port, rediss://..., or redis+cluster://h1:p1,h2:p2 (see redis-url.ts). */
  readonly url: string;
  readonly cluster?: boolean;
  /** Prepended to every key, so several deployments can share one Redis. Default 'rl:'. */
  readonly keyPrefix?: string;
  /** A decision without a reply after this long is made locally instead. Default 250 ms. */
  readonly commandTimeoutMs?: number;
  /** One connection attempt gives up after this long. Default 2 s. */
  readonly connectTimeoutMs?: number;
  /** Told of every decision made locally because Redis failed (a metric, a log). */
  readonly onFallback?: (error: unknown) => void;
  /** Connection errors, for logging. The client reconnects by itself either way. */
  readonly onBackgroundError?: (error: Error) => void;
}

/** The limiter runs on every API call: a slow Redis must cost it little. */
const DEFAULT_COMMAND_TIMEOUT_MS = 250;
const DEFAULT_CONNECT_TIMEOUT_MS = 2_000;
/** Before the first connection attempt has ended, a call waits this long for it. */
const FIRST_CONNECT_WAIT_MS = 500;

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
    this.#connection = new RedisConnection('rate limiter', {
      url: options.url,
      ...(options.cluster !== undefined && { cluster: options.cluster }),
      commandTimeoutMs: options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
      connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      connectWaitMs: FIRST_CONNECT_WAIT_MS,
      ...(options.onBackgroundError && { onBackgroundError: options.onBackgroundError }),
    });
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
