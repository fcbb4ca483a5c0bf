import type { DeliveryCheck } from '../../ports/vendor.ts';

/** A final answer: delivered or undelivered, never pending. */
export type FinalCheck = Exclude<DeliveryCheck, { readonly state: 'pending' }>;

/**
 * Final results an NHN search by date read for messages it was not asked about, kept for the look-ups
 * that will ask next. A lane's checks come back in small batches (what one poll of the retry topic
 * brought), and a window holds every message the lane sent in its seconds: each batch's search read
 * the same page of the lane's rows to find its own, about ten rows read per receipt during a flood
 * (laneIsolation, `nhn-sms look-up rows`). The checks of the rows read ahead arrive a moment later:
 * answered from here, they cost no request.
 *
 * A final result never changes, so a kept one is as good as a fresh one. Bounded in count and age:
 * a row whose check never comes here (another process's message, a check already answered) ages
 * out, and a check that finds nothing here asks NHN as before.
 */
export class NhnFinalRows {
  readonly #maxRows: number;
  readonly #maxAgeMs: number;
  /** Row key -> the result and when it was read; in insertion order, so the oldest come first. */
  readonly #rows = new Map<string, { readonly check: FinalCheck; readonly readAt: number }>();

  constructor(maxRows = 50_000, maxAgeMs = 120_000) {
    this.#maxRows = maxRows;
    this.#maxAgeMs = maxAgeMs;
  }

  /** Keeps a row read ahead of its check (`key`: `${requestId}:${recipientSeq}`). */
  keep(key: string, check: FinalCheck, now: number): void {
    this.#rows.delete(key);
    this.#rows.set(key, { check, readAt: now });
    this.#prune(now);
  }

  /** The row read ahead for `key`, taken out: each check is answered from here once. */
  take(key: string, now: number): FinalCheck | undefined {
    this.#prune(now);
    const kept = this.#rows.get(key);
    if (kept === undefined) return undefined;
    this.#rows.delete(key);
    return kept.check;
  }

  get size(): number {
    return this.#rows.size;
  }

  #prune(now: number): void {
    for (const [key, kept] of this.#rows) {
      if (this.#rows.size <= this.#maxRows && now - kept.readAt <= this.#maxAgeMs) return;
      this.#rows.delete(key);
    }
  }
}
