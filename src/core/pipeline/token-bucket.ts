/**
 * A token bucket: refills at `ratePerSecond` up to a burst of one second's worth. It refills lazily
 * from the clock on each call, so it needs no timer. The clock is injectable so tests can step time
 * instead of sleeping. Used by the simulators (a vendor's rate limit, one token per call) and by the
 * retry worker (the pace of the 08:00 night-ad wave, a batch of tokens at a time).
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
   * Takes `count` tokens if they are there and returns 0; otherwise returns how many ms until they
   * are, which is what a vendor puts (rounded up to seconds) in Retry-After. A count above the
   * burst (a bulk call of 1,000 recipients at 500/s) waits for a full bucket and then runs it into
   * debt, so the calls after it wait for the recipients it carried.
   */
  tryTake(count = 1): number {
    this.#refill();
    const needed = Math.min(count, this.#capacity);
    if (this.#tokens >= needed) {
      this.#tokens -= count;
      return 0;
    }
    return ((needed - this.#tokens) / this.ratePerSecond) * 1_000;
  }

  /** Takes as many whole tokens as there are, up to `max`, and returns how many it took. */
  takeUpTo(max: number): number {
    this.#refill();
    const taken = Math.max(0, Math.min(Math.floor(max), Math.floor(this.#tokens)));
    this.#tokens -= taken;
    return taken;
  }

  /** Gives back tokens taken and not used (a batch that found fewer records than it was allowed). */
  giveBack(count: number): void {
    this.#tokens = Math.min(this.#capacity, this.#tokens + Math.max(0, count));
  }

  #refill(): void {
    const now = this.#now();
    const elapsedMs = now - this.#refilledAt;
    this.#refilledAt = now;
    this.#tokens = Math.min(this.#capacity, this.#tokens + (elapsedMs / 1_000) * this.ratePerSecond);
  }
}
