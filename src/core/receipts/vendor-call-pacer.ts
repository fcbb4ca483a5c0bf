import { setTimeout as sleep } from 'node:timers/promises';
import { TokenBucket } from '../pipeline/token-bucket.ts';

/**
 * Paces one kind of call per vendor to that vendor's documented rate (its look-up API's calls a
 * second): one token bucket per vendor, shared by every lane of the process, so three lanes polling
 * receipts of the same vendor together stay within its limit. (Several herald processes each keep
 * their own: the rate is per process, which docs/receipts.md says.)
 */
export class VendorCallPacer {
  readonly #buckets = new Map<string, TokenBucket>();
  readonly #now: (() => number) | undefined;
  readonly #sleep: (ms: number, signal: AbortSignal) => Promise<void>;

  /** `now` and `wait` are injectable so a test can count calls a clock step lets through. */
  constructor(
    options: { now?: () => number; wait?: (ms: number, signal: AbortSignal) => Promise<void> } = {},
  ) {
    this.#now = options.now;
    this.#sleep = options.wait ?? ((ms, signal) => sleep(ms, undefined, { signal }));
  }

  /** Resolves when `vendor` may be called once more; rejects when `signal` aborts first. */
  async acquire(vendor: string, callsPerSecond: number, signal: AbortSignal): Promise<void> {
    const bucket = this.#bucket(vendor, callsPerSecond);
    for (;;) {
      signal.throwIfAborted();
      const waitMs = bucket.tryTake(1);
      if (waitMs === 0) return;
      await this.#sleep(Math.ceil(waitMs), signal);
    }
  }

  /** A vendor's bucket, rebuilt when its rate changes (a new adapter after a remote config change). */
  #bucket(vendor: string, callsPerSecond: number): TokenBucket {
    const rate = Math.max(0.01, callsPerSecond);
    const existing = this.#buckets.get(vendor);
    if (existing?.ratePerSecond === rate) return existing;
    const bucket = new TokenBucket(rate, this.#now);
    this.#buckets.set(vendor, bucket);
    return bucket;
  }
}
