/**
 * Dedup store port: remembers which message keys were sent, so a redelivered or repeated message
 * is never sent twice.
 *
 * Two-phase: `reserve` before the vendor call (short TTL, so a crashed owner's reservation lapses),
 * `confirm` after success (TTL = dedup window), `release` on a retryable failure so a retry can
 * reserve again. Every call takes a whole batch: one round-trip per batch, never per message.
 *
 * Deliberately left out: connection objects, raw commands, and any notion of "who" reserved.
 * Failure is the caller's business: an adapter that cannot reach its store throws HERALD_UNAVAILABLE
 * and the pipeline fails open (sends anyway, counted and flagged in history).
 */
export type ReserveVerdict =
  /** The key was free; this caller now holds it until confirm, release or TTL. */
  | 'reserved'
  /** The key was confirmed earlier: the message was sent. Record `duplicate`, send nothing. */
  | 'sent'
  /** Someone holds a reservation (in flight, or its owner crashed): try again after the reserve TTL. */
  | 'in-flight';

export interface DedupStore {
  reserve(keys: readonly string[], ttlMs: number): Promise<ReserveVerdict[]>;
  confirm(keys: readonly string[], windowMs: number): Promise<void>;
  release(keys: readonly string[]): Promise<void>;
  /**
   * Whether the store answers right now, for /health. Never throws. A worker keeps sending while it
   * is false (fail-open), so health shows it as degraded, not as a reason to stop.
   */
  healthy(): Promise<boolean>;
  close(): Promise<void>;
}
