/**
 * A token bucket: refills at `ratePerSecond` up to a burst of one second's worth, and each call
 * takes one token. It refills lazily from the clock on each call, so it needs no timer. The clock
 * is injectable so tests can step time instead of sleeping.
 */
export class TokenBucket {
  readonly ratePerSecond: number;
  readonly #capacity: number;
  readonly #now: () => number;
  #tokens: number;
  #refilledAt: number;

  constructor(ratePerSecond: number, now: () => number = performance.now.bind(performance)) {
    this.ratePerSecond = ratePerSecond;
    this.#capacity = Math.max(1, ratePerSecond);
    this.#now = now;
    this.#tokens = this.#capacity;
    this.#refilledAt = now();
  }

  /**
   * Takes a token if one is there and returns 0; otherwise returns how many ms until the next
   * token, which is what a vendor puts (rounded up to seconds) in Retry-After.
   */
  tryTake(): number {
    this.#refill();
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return 0;
    }
    return ((1 - this.#tokens) / this.ratePerSecond) * 1_000;
  }

  #refill(): void {
    const now = this.#now();
    const elapsedMs = now - this.#refilledAt;
    this.#refilledAt = now;
    this.#tokens = Math.min(this.#capacity, this.#tokens + (elapsedMs / 1_000) * this.ratePerSecond);
  }
}
