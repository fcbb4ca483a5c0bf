import type { IBreaker } from 'cockatiel';

const BUCKETS = 10;
const BUCKET_MS = 1_000;
/** Share of the calls of the last BUCKETS x BUCKET_MS that must have failed, besides the streak. */
const FAILURE_SHARE = 0.5;

/**
 * Opens when the last `threshold` calls failed in a row AND at least half of the calls of the last
 * ten seconds failed. The streak alone is too twitchy at high concurrency: a lane with hundreds of
 * calls in flight sees a burst of time-outs end together (measured: a loopback connection storm
 * made 155 of 10,000 calls to a healthy vendor time out at once), and a streak of 5 among them
 * shut a vendor that answered 98% of its calls, sending every message through the retry topic. A
 * vendor that is really down fails nearly every call, so it still opens after `threshold` calls.
 */
export class StreakAndRateBreaker implements IBreaker {
  readonly #threshold: number;
  readonly #now: () => number;
  #streak = 0;
  readonly #successes = new Array<number>(BUCKETS).fill(0);
  readonly #failures = new Array<number>(BUCKETS).fill(0);
  #bucketStart = 0;
  #bucket = 0;

  constructor(threshold: number, now: () => number = Date.now) {
    this.#threshold = threshold;
    this.#now = now;
    this.#bucketStart = now();
  }

  get state(): unknown {
    return { streak: this.#streak };
  }

  set state(value: unknown) {
    this.#streak = (value as { streak?: number } | undefined)?.streak ?? 0;
  }

  success(): void {
    this.#streak = 0;
    this.#rotate();
    this.#successes[this.#bucket]! += 1;
  }

  failure(): boolean {
    this.#streak += 1;
    this.#rotate();
    this.#failures[this.#bucket]! += 1;
    if (this.#streak < this.#threshold) return false;
    const failures = sum(this.#failures);
    return failures >= FAILURE_SHARE * (failures + sum(this.#successes));
  }

  /** Moves to the bucket of now, clearing the buckets skipped over. */
  #rotate(): void {
    const elapsed = Math.floor((this.#now() - this.#bucketStart) / BUCKET_MS);
    if (elapsed <= 0) return;
    for (let i = 1; i <= Math.min(elapsed, BUCKETS); i++) {
      const index = (this.#bucket + i) % BUCKETS;
      this.#successes[index] = 0;
      this.#failures[index] = 0;
    }
    this.#bucket = (this.#bucket + elapsed) % BUCKETS;
    this.#bucketStart += elapsed * BUCKET_MS;
  }
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}
