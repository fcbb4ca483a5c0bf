import { pause } from '../../core/pipeline/abortable-wait.ts';
import { TokenBucket } from '../../core/pipeline/token-bucket.ts';
import type { VendorRate } from '../../ports/vendor-rate.ts';
import { TurnsByKey } from './turns-by-key.ts';

export interface LocalVendorRateOptions {
  /** The buckets' clock, ms; injectable so a test steps time instead of sleeping. */
  readonly now?: () => number;
  /** How a caller waits for its tokens; injectable with `now`. */
  readonly wait?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/**
 * The embedded default: one token bucket per name in this process, shared by every lane worker
 * given this instance. With one process that is the whole deployment; the Redis adapter also
 * falls back to one of these when Redis fails.
 */
export class LocalVendorRate implements VendorRate {
  readonly #buckets = new Map<string, TokenBucket>();
  readonly #turns = new TurnsByKey();
  readonly #now: (() => number) | undefined;
  readonly #wait: (ms: number, signal: AbortSignal) => Promise<void>;

  constructor(options: LocalVendorRateOptions = {}) {
    this.#now = options.now;
    this.#wait = options.wait ?? pause;
  }

  acquire(bucket: string, messages: number, ratePerSecond: number, signal: AbortSignal): Promise<void> {
    return this.#turns.run(bucket, signal, async () => {
      const tokens = this.#bucket(bucket, ratePerSecond);
      for (;;) {
        signal.throwIfAborted();
        const waitMs = tokens.tryTake(messages);
        if (waitMs === 0) return;
        await this.#wait(Math.ceil(waitMs), signal);
      }
    });
  }

  async close(): Promise<void> {}

  /** A bucket rebuilt (full) when its rate changes: a remote config change takes effect at once. */
  #bucket(name: string, ratePerSecond: number): TokenBucket {
    const existing = this.#buckets.get(name);
    if (existing?.ratePerSecond === ratePerSecond) return existing;
    const bucket = new TokenBucket(ratePerSecond, this.#now);
    this.#buckets.set(name, bucket);
    return bucket;
  }
}
