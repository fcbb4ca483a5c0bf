/** What a vendor's result look-up reports for one message it accepted. */
export interface DeliveryResult {
  /** herald's message id, as the request carried it (for counting), else the vendor's own id. */
  readonly messageId: string;
  readonly to: string;
  /** The vendor's final code: Kakao 1000/3018/3019/3020... for AlimTalk, the carrier's for SMS. */
  readonly code: string;
  /** Epoch ms the result is known (before it the look-up answers "in progress"). */
  readonly readyAt: number;
  /** Whatever the contract needs to render its look-up answer (request id, recipient seq...). */
  readonly detail?: Readonly<Record<string, string | number>>;
}

/**
 * The results each simulated vendor will report by its look-up API, by the vendor's message id,
 * recorded when the vendor accepts the message. Kept until reset(): a drill's 100k messages are a
 * few tens of MB, and forgetting one would answer "not found" to a legitimate look-up.
 */
export class DeliveryResults {
  readonly #byVendor = new Map<string, Map<string, DeliveryResult>>();
  /** How long after acceptance a result becomes known, ms (Kakao takes seconds; tests want 0). */
  resultDelayMs = 0;

  record(
    vendorId: string,
    vendorMessageId: string,
    result: Omit<DeliveryResult, 'readyAt'>,
    now = Date.now(),
  ): void {
    const results = this.#byVendor.get(vendorId) ?? new Map<string, DeliveryResult>();
    this.#byVendor.set(vendorId, results);
    results.set(vendorMessageId, Object.freeze({ ...result, readyAt: now + this.resultDelayMs }));
  }

  get(vendorId: string, vendorMessageId: string): DeliveryResult | undefined {
    return this.#byVendor.get(vendorId)?.get(vendorMessageId);
  }

  reset(): void {
    this.#byVendor.clear();
    this.resultDelayMs = 0;
  }
}
