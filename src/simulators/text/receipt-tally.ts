/** A receipt's outcome and the carrier herald should record for it, as the vendor reported them. */
export type TalliedCarrier = 'SKT' | 'KT' | 'LGU+' | 'MVNO' | 'unknown';

export interface ReceiptCounts {
  readonly delivered: Readonly<Partial<Record<TalliedCarrier, number>>>;
  readonly undelivered: Readonly<Partial<Record<TalliedCarrier, number>>>;
}

/**
 * The receipts each simulated vendor reported as final (by its look-up or its webhook), per outcome
 * and per carrier, each message counted once however often it is looked up: what a test or a drill
 * compares herald's delivered/undelivered counts with. The carrier is the one the vendor's wire
 * named, in herald's words (an MVNO reported under its parent network counts there).
 */
export class ReceiptTally {
  readonly #reported = new Map<string, Set<string>>();
  readonly #counts = new Map<
    string,
    { delivered: Map<TalliedCarrier, number>; undelivered: Map<TalliedCarrier, number> }
  >();

  /** Counts the first final report of `vendorMessageId`; later ones are the same receipt again. */
  count(vendorId: string, vendorMessageId: string, delivered: boolean, carrier: TalliedCarrier): void {
    const reported = this.#reported.get(vendorId) ?? new Set<string>();
    this.#reported.set(vendorId, reported);
    if (reported.has(vendorMessageId)) return;
    reported.add(vendorMessageId);
    const counts = this.#counts.get(vendorId) ?? { delivered: new Map(), undelivered: new Map() };
    this.#counts.set(vendorId, counts);
    const side = delivered ? counts.delivered : counts.undelivered;
    side.set(carrier, (side.get(carrier) ?? 0) + 1);
  }

  /** How many of `vendorId`'s messages were reported final (each once). */
  reported(vendorId: string): number {
    return this.#reported.get(vendorId)?.size ?? 0;
  }

  /** `{vendorId: {delivered: {SKT: n, ...}, undelivered: {...}}}` for `GET /_sim/stats`. */
  counts(): Record<string, ReceiptCounts> {
    return Object.fromEntries(
      [...this.#counts].map(([vendorId, { delivered, undelivered }]) => [
        vendorId,
        { delivered: Object.fromEntries(delivered), undelivered: Object.fromEntries(undelivered) },
      ]),
    );
  }

  reset(): void {
    this.#reported.clear();
    this.#counts.clear();
  }
}
