import { CreationTimeline } from './creation-timeline.ts';
import { DEFAULT_RECEIPT_MIX, type ReceiptFate, type ReceiptMix } from './receipt-mix.ts';
import { ReceiptTally } from './receipt-tally.ts';

/** What a vendor's result look-up reports for one message it accepted. */
export interface DeliveryResult {
  /** herald's message id, as the request carried it (for counting), else the vendor's own id. */
  readonly messageId: string;
  readonly to: string;
  /** The vendor's final code: Kakao 1000/3018/3019/3020... for AlimTalk, the carrier's for SMS. */
  readonly code: string;
  /** Epoch ms the result is known (before it the look-up answers "in progress"). */
  readonly readyAt: number;
  /** Epoch ms the vendor accepted (registered) the message. */
  readonly acceptedAt: number;
  /** Whatever the contract needs to render its look-up answer (request id, recipient seq...). */
  readonly detail?: Readonly<Record<string, string | number>>;
  /** SMS/LMS/MMS: the carrier's fate of the message (receipt-mix.ts); the code follows from it. */
  readonly fate?: ReceiptFate;
}

/**
 * The results each simulated vendor will report by its look-up API, by the vendor's message id,
 * recorded when the vendor accepts the message. Kept until reset(): a drill's 100k messages are a
 * few tens of MB, and forgetting one would answer "not found" to a legitimate look-up.
 */
export class DeliveryResults {
  readonly #byVendor = new Map<string, Map<string, DeliveryResult>>();
  /** vendor -> group (an NHN requestId, a SENS requestId...) -> the vendor message ids in it. */
  readonly #groups = new Map<string, Map<string, string[]>>();
  /** vendor -> series (NHN: its sms and mms lists) -> the ids by the time they were accepted. */
  readonly #timelines = new Map<string, Map<string, CreationTimeline>>();
  /** How long after acceptance a result becomes known, ms (Kakao takes seconds; tests want 0). */
  resultDelayMs = 0;
  /** The carriers' mix and undelivered share the SMS contracts decide each message's fate by. */
  mix: ReceiptMix = DEFAULT_RECEIPT_MIX;
  /** The receipts the look-ups and webhooks reported as final, for `GET /_sim/stats`. */
  readonly tally = new ReceiptTally();
  /**
   * Rows each vendor's result lists answered (a row read twice counts twice), for `GET /_sim/stats`:
   * against the receipts, what a caller's searches cost the vendor.
   */
  readonly #listedRows = new Map<string, number>();

  countListed(vendorId: string, rows: number): void {
    this.#listedRows.set(vendorId, (this.#listedRows.get(vendorId) ?? 0) + rows);
  }

  listedRows(): Record<string, number> {
    return Object.fromEntries(this.#listedRows);
  }

  record(
    vendorId: string,
    vendorMessageId: string,
    result: Omit<DeliveryResult, 'readyAt' | 'acceptedAt'>,
    now = Date.now(),
    group?: string,
  ): DeliveryResult {
    const results = this.#byVendor.get(vendorId) ?? new Map<string, DeliveryResult>();
    this.#byVendor.set(vendorId, results);
    const recorded = Object.freeze({ ...result, readyAt: now + this.resultDelayMs, acceptedAt: now });
    results.set(vendorMessageId, recorded);
    if (group !== undefined) {
      const groups = this.#groups.get(vendorId) ?? new Map<string, string[]>();
      this.#groups.set(vendorId, groups);
      const ids = groups.get(group) ?? [];
      groups.set(group, ids);
      ids.push(vendorMessageId);
    }
    return recorded;
  }

  /** The vendor message ids recorded in `group` (one request's messages), in the order recorded. */
  group(vendorId: string, group: string): readonly string[] {
    return this.#groups.get(vendorId)?.get(group) ?? [];
  }

  /**
   * One series of a vendor's accepted messages by time (the contract adds to it as it records them,
   * and searches it by date): created on first use.
   */
  timeline(vendorId: string, series: string): CreationTimeline {
    const timelines = this.#timelines.get(vendorId) ?? new Map<string, CreationTimeline>();
    this.#timelines.set(vendorId, timelines);
    const timeline = timelines.get(series) ?? new CreationTimeline();
    timelines.set(series, timeline);
    return timeline;
  }

  get(vendorId: string, vendorMessageId: string): DeliveryResult | undefined {
    return this.#byVendor.get(vendorId)?.get(vendorMessageId);
  }

  reset(): void {
    this.#byVendor.clear();
    this.#groups.clear();
    this.#timelines.clear();
    this.#listedRows.clear();
    this.resultDelayMs = 0;
    this.mix = DEFAULT_RECEIPT_MIX;
    this.tally.reset();
  }
}
