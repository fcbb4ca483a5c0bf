import {
  BurstyRateLimiter,
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import type { RateDecision, RateLimiter, RateRule } from '../../ports/rate-limiter.ts';

/** Options of one library limiter: one counter family (`keyPrefix`) with one allowance. */
export interface LimiterOptions {
  readonly keyPrefix: string;
  readonly points: number;
  /** Window, seconds. */
  readonly duration: number;
  /** Seconds a key stays refused once over (0: until its window ends). */
  readonly blockDuration: number;
}

/** Builds one library limiter over a store (memory, Redis). */
export type LimiterFactory = (options: LimiterOptions) => RateLimiterAbstract;

interface Limiters {
  /** What consume goes through: the rule's limiter, behind its burst allowance when it has one. */
  readonly consumer: Pick<RateLimiterAbstract, 'consume'>;
  /** The rule's own counter, which peek reads. */
  readonly primary: RateLimiterAbstract;
}

/**
 * Rules apply by value (they come from the live remote config), and each distinct rule is one
 * library limiter; past this many, the cache starts over (counters in a shared store are kept).
 */
const MAX_RULES = 1_000;
const ALLOWED: RateDecision = { allowed: true };

/**
 * The RateLimiter port on rate-limiter-flexible (animir/node-rate-limiter-flexible): its
 * "enhanced fixed window" counter (atomic INCR + TTL in one Lua script on Redis) per rule, and
 * its BurstyRateLimiter for the burst allowance. The library decides; this maps rules in and
 * decisions out. A store error propagates (the Redis adapter falls back on it).
 */
export class FlexibleRateLimiter implements RateLimiter {
  readonly #make: LimiterFactory;
  readonly #rules = new Map<string, Limiters>();

  constructor(make: LimiterFactory) {
    this.#make = make;
  }

  async consume(rule: RateRule, key: string, points: number): Promise<RateDecision> {
    try {
      await this.#limitersOf(rule).consumer.consume(key, points);
      return ALLOWED;
    } catch (error) {
      if (error instanceof RateLimiterRes) return refused(error.msBeforeNext);
      throw error;
    }
  }

  async peek(rule: RateRule, key: string): Promise<RateDecision> {
    const state = await this.#limitersOf(rule).primary.get(key);
    return state && state.consumedPoints > rule.points ? refused(state.msBeforeNext) : ALLOWED;
  }

  async close(): Promise<void> {
    this.#rules.clear();
  }

  #limitersOf(rule: RateRule): Limiters {
    const id = JSON.stringify([rule.name, rule.points, rule.windowSeconds, rule.burst, rule.blockSeconds]);
    let limiters = this.#rules.get(id);
    if (!limiters) {
      if (this.#rules.size >= MAX_RULES) this.#rules.clear();
      limiters = this.#build(rule);
      this.#rules.set(id, limiters);
    }
    return limiters;
  }

  #build(rule: RateRule): Limiters {
    const primary = this.#make({
      keyPrefix: rule.name,
      points: rule.points,
      duration: rule.windowSeconds,
      blockDuration: rule.blockSeconds ?? 0,
    });
    if (!rule.burst) return { consumer: primary, primary };
    const burst = this.#make({
      keyPrefix: `${rule.name}:burst`,
      points: rule.burst.points,
      duration: rule.burst.windowSeconds,
      blockDuration: 0,
    });
    return { consumer: new BurstyRateLimiter(primary, burst), primary };
  }
}

/** The embedded default's limiter: counters in this process's memory. */
export function createMemoryRateLimiter(): FlexibleRateLimiter {
  return new FlexibleRateLimiter((options) => new RateLimiterMemory(options));
}

function refused(msBeforeNext: number): RateDecision {
  return { allowed: false, retryAfterMs: Math.max(1, msBeforeNext) };
}
