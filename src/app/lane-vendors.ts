import type { BulkSender, ReceiptLookup, Vendor, VendorLookup } from '../ports/vendor.ts';

/**
 * One lane's adapters by vendor id, replaced in place when a vendor's definition changes: the
 * router asks on every pick, so a new adapter takes the next call at once, while calls already
 * made on the old one finish there (each is bounded by its own time limit) before it is closed.
 */
export class LaneVendors implements VendorLookup {
  readonly #current = new Map<string, CountedVendor>();
  readonly #retiring = new Set<Promise<void>>();

  get(vendorId: string): Vendor | undefined {
    return this.#current.get(vendorId)?.vendor;
  }

  ids(): string[] {
    return [...this.#current.keys()];
  }

  /** Puts `vendor` under its id; the adapter it replaces is closed once its calls have finished. */
  put(vendor: Vendor): void {
    const previous = this.#current.get(vendor.id);
    this.#current.set(vendor.id, new CountedVendor(vendor));
    if (previous) this.#retire(previous);
  }

  /** Takes the vendor out of the lane; its adapter is closed once its calls have finished. */
  remove(vendorId: string): void {
    const previous = this.#current.get(vendorId);
    this.#current.delete(vendorId);
    if (previous) this.#retire(previous);
  }

  /** Closes every adapter, current and retiring (the lane's calls were drained or aborted before). */
  async close(): Promise<void> {
    const current = [...this.#current.values()];
    this.#current.clear();
    await Promise.allSettled([...current.map((counted) => counted.vendor.close()), ...this.#retiring]);
  }

  #retire(counted: CountedVendor): void {
    const retiring = counted
      .idle()
      .then(() => counted.vendor.close())
      .catch(() => {})
      .finally(() => this.#retiring.delete(retiring));
    this.#retiring.add(retiring);
  }
}

/** An adapter that knows how many of its calls are under way, and when none is. */
class CountedVendor {
  readonly vendor: Vendor;
  #inFlight = 0;
  #idle: (() => void) | undefined;

  constructor(inner: Vendor) {
    this.vendor = {
      id: inner.id,
      channels: inner.channels,
      ...(inner.pushProvider ? { pushProvider: inner.pushProvider } : {}),
      ...(inner.templates ? { templates: inner.templates } : {}),
      ...(inner.mmsLimits ? { mmsLimits: inner.mmsLimits } : {}),
      send: (message, signal) => this.#counted(() => inner.send(message, signal)),
      ...(inner.checkDelivery
        ? {
            checkDelivery: (vendorMessageId: string, signal: AbortSignal) =>
              this.#counted(() => inner.checkDelivery!(vendorMessageId, signal)),
          }
        : {}),
      ...(inner.bulk ? { bulk: this.#countedBulk(inner.bulk) } : {}),
      ...(inner.receipts ? { receipts: this.#countedReceipts(inner.receipts) } : {}),
      close: () => inner.close(),
    };
  }

  #countedBulk(bulk: BulkSender): BulkSender {
    return {
      maxMessages: bulk.maxMessages,
      groupKey: (message) => bulk.groupKey(message),
      sendMany: (messages, signal) => this.#counted(() => bulk.sendMany(messages, signal)),
    };
  }

  // Without it the lane saw no look-up on any adapter: no SMS was ever receipted by polling.
  #countedReceipts(receipts: ReceiptLookup): ReceiptLookup {
    return {
      maxIdsPerCall: receipts.maxIdsPerCall,
      callsPerSecond: receipts.callsPerSecond,
      deliveryTimeoutMs: (channel) => receipts.deliveryTimeoutMs(channel),
      lookUp: (queries, call) => this.#counted(() => receipts.lookUp(queries, call)),
    };
  }

  /** A call of the adapter (a send or a look-up), counted while it runs. */
  async #counted<T>(call: () => Promise<T>): Promise<T> {
    this.#inFlight += 1;
    try {
      return await call();
    } finally {
      this.#inFlight -= 1;
      if (this.#inFlight === 0) this.#idle?.();
    }
  }

  idle(): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.#idle = resolve;
    });
  }
}
