/** What one simulated vendor received, as `GET /_sim/stats` reports it. */
export interface VendorStats {
  /** Deliveries: calls answered with success (each one would reach a recipient). */
  readonly received: number;
  /** Distinct message ids among those deliveries. */
  readonly distinct: number;
  /** received - distinct: deliveries of a message id that had been delivered before. */
  readonly duplicates: number;
  /** Calls with an already-seen Idempotency-Key, answered with the first result, not delivered. */
  readonly idempotentReplays: number;
  /**
   * Send calls that reached the vendor, whatever their fate; a bulk call carrying 1,000 messages
   * is one. Deliveries over calls is how many messages a call carried.
   */
  readonly calls: number;
}

export interface SimStats {
  readonly vendors: Readonly<Record<string, VendorStats>>;
}

/** One delivery, for benchmarks that time arrivals. */
export interface ReceiveEvent {
  readonly vendorId: string;
  readonly messageId: string;
  /**
   * When the call reached the vendor (its request was read), before the simulated processing
   * latency: where a sender's part of the latency ends. Epoch ms, sub-millisecond, comparable
   * across processes on one machine.
   */
  readonly arrivedAt: number;
  /** When the vendor delivered it (after its simulated latency). Same clock as arrivedAt. */
  readonly receivedAt: number;
}

export type ReceiveListener = (event: ReceiveEvent) => void;

interface VendorTally {
  received: number;
  idempotentReplays: number;
  calls: number;
  /** Hung calls whose caller gave up and closed the connection (its time limit or shutdown). */
  hangUps: number;
  readonly perMessage: Map<string, number>;
}

/**
 * Counts what each simulated vendor received per message id, so a test or a drill can prove
 * "delivered once" from outside herald.
 *
 * Memory: one Map entry per distinct message id per vendor (the id string plus a number, roughly
 * 100 bytes), so the ~100k messages of a drill cost about 10 MB. It is not bounded on purpose:
 * forgetting an id would hide a duplicate. Long runs call reset() between phases.
 */
export class ReceiveCounter {
  readonly #tallies = new Map<string, VendorTally>();
  readonly #listeners = new Set<ReceiveListener>();

  /** Vendors named here show in stats() with zeros before their first call. */
  constructor(vendorIds: Iterable<string> = []) {
    for (const vendorId of vendorIds) this.#tally(vendorId);
  }

  /** `arrivedAt`: when the call reached the vendor (epochNowMs()); defaults to now. */
  recordDelivery(vendorId: string, messageId: string, arrivedAt?: number): void {
    const tally = this.#tally(vendorId);
    tally.received += 1;
    tally.perMessage.set(messageId, (tally.perMessage.get(messageId) ?? 0) + 1);
    if (this.#listeners.size > 0) {
      const receivedAt = epochNowMs();
      this.#notify({ vendorId, messageId, arrivedAt: arrivedAt ?? receivedAt, receivedAt });
    }
  }

  recordCall(vendorId: string): void {
    this.#tally(vendorId).calls += 1;
  }

  recordIdempotentReplay(vendorId: string): void {
    this.#tally(vendorId).idempotentReplays += 1;
  }

  recordHangUp(vendorId: string): void {
    this.#tally(vendorId).hangUps += 1;
  }

  /**
   * How many calls left hanging by `vendorId` the caller closed before the simulator stopped: proof
   * from the vendor's side that a sender aborts what it gave up on instead of leaving it open.
   */
  hangUps(vendorId: string): number {
    return this.#tallies.get(vendorId)?.hangUps ?? 0;
  }

  /** How many times `messageId` was delivered through `vendorId` (0 if never). */
  countFor(vendorId: string, messageId: string): number {
    return this.#tallies.get(vendorId)?.perMessage.get(messageId) ?? 0;
  }

  stats(): SimStats {
    const vendors: Record<string, VendorStats> = {};
    for (const [vendorId, tally] of this.#tallies) {
      const distinct = tally.perMessage.size;
      vendors[vendorId] = {
        received: tally.received,
        distinct,
        duplicates: tally.received - distinct,
        idempotentReplays: tally.idempotentReplays,
        calls: tally.calls,
      };
    }
    return { vendors };
  }

  /** Calls `listener` on every delivery; returns a function that unsubscribes it. */
  onReceive(listener: ReceiveListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** Zeroes every count; the vendors stay listed, the listeners stay subscribed. */
  reset(): void {
    for (const tally of this.#tallies.values()) {
      tally.received = 0;
      tally.idempotentReplays = 0;
      tally.calls = 0;
      tally.hangUps = 0;
      tally.perMessage.clear();
    }
  }

  #tally(vendorId: string): VendorTally {
    let tally = this.#tallies.get(vendorId);
    if (tally === undefined) {
      tally = { received: 0, idempotentReplays: 0, calls: 0, hangUps: 0, perMessage: new Map() };
      this.#tallies.set(vendorId, tally);
    }
    return tally;
  }

  #notify(event: ReceiveEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        // A broken listener must not turn a delivery into a failed call; surface it loudly instead.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}

export function epochNowMs(): number {
  return performance.timeOrigin + performance.now();
}
