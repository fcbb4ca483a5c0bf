import { TokenBucket } from '../../core/pipeline/token-bucket.ts';

/**
 * The rate limit on each simulated vendor's result look-ups, apart from its send behaviour's: a
 * vendor meters its look-up API on its own. Calls a second per vendor id (burst of one second);
 * null for a vendor means unlimited. Each contract answers a refused call the vendor's way (429).
 */
export class LookUpThrottle {
  readonly #limits = new Map<string, number | null>();
  readonly #buckets = new Map<string, TokenBucket>();
  readonly #defaults: (vendorId: string) => number | null;
  readonly #now: (() => number) | undefined;

  constructor(defaults: (vendorId: string) => number | null = () => null, now?: () => number) {
    this.#defaults = defaults;
    this.#now = now;
  }

  /** Sets one vendor's limit (null: unlimited); applies to the next call. */
  set(vendorId: string, perSecond: number | null): void {
    this.#limits.set(vendorId, perSecond);
    this.#buckets.delete(vendorId);
  }

  limitOf(vendorId: string): number | null {
    return this.#limits.has(vendorId) ? this.#limits.get(vendorId)! : this.#defaults(vendorId);
  }

  /** 0 when the call may go ahead, else the ms until it could (for Retry-After). */
  tryTake(vendorId: string): number {
    const limit = this.limitOf(vendorId);
    if (limit === null) return 0;
    let bucket = this.#buckets.get(vendorId);
    if (bucket === undefined || bucket.ratePerSecond !== limit) {
      bucket = new TokenBucket(limit, this.#now);
      this.#buckets.set(vendorId, bucket);
    }
    return bucket.tryTake();
  }

  reset(): void {
    this.#limits.clear();
    this.#buckets.clear();
  }
}
