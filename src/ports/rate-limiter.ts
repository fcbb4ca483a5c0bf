/**
 * Rate limiter port: counts points per key against a rule and says whether a key may go on.
 * Production keeps the counters in Redis, so every API process shares them; the embedded default
 * keeps them in memory.
 *
 * Each rule is a fixed window of `windowSeconds` that starts at a key's first point (so keys do
 * not all reset at once), plus an optional burst: points beyond `points` are still admitted while
 * the burst allowance of its own, longer window lasts. Points taken while refused count too, so a
 * key that keeps pushing stays refused until its window ends.
 *
 * Deliberately left out: what a key means (a client, an address) and what a refusal answers (the
 * core's admission decides both), and the store's connection. An adapter never fails because its
 * store does: it falls back to counting locally and says so through its own callback.
 */
export interface RateRule {
  /** Names a family of counters ("requests", "failed-auth"); the same key under two names never meets. */
  readonly name: string;
  /** Points a key may take per window. */
  readonly points: number;
  readonly windowSeconds: number;
  /** Extra points beyond `points`, at most `points` of them per `windowSeconds` of the burst. */
  readonly burst?: { readonly points: number; readonly windowSeconds: number };
  /** Once a key goes over, it stays refused this long (instead of until its window ends). */
  readonly blockSeconds?: number;
}

export type RateDecision =
  | { readonly allowed: true }
  | { readonly allowed: false /** When the key may try again. */; readonly retryAfterMs: number };

export interface RateLimiter {
  /** Takes `points` for `key` under `rule`: allowed while the key has them, refused otherwise. */
  consume(rule: RateRule, key: string, points: number): Promise<RateDecision>;
  /** Whether `key` is refused under `rule` right now (over its points or blocked), taking nothing. */
  peek(rule: RateRule, key: string): Promise<RateDecision>;
  close(): Promise<void>;
}
