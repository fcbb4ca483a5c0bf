/**
 * Dedup store port: remembers which message keys were sent, so a redelivered or repeated message
 * is never sent twice.
 *
 * Two-phase: `reserve` before the vendor call (short TTL, so a crashed owner's reservation lapses),
 * `confirm` after success (TTL = dedup window), `release` on a retryable failure so a retry can
 * reserve again. Every call takes a whole batch: one round-trip per batch, never per message.
 *
 * It also holds the API's content claims (`claimFirst`, `releaseClaims`): which message a client's
 * content key (dedup.byContent) belongs to, for the client's window. They live in a namespace of
 * their own, so a content key never meets a message key.
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

/** A content key and the message that would own it. */
export interface ContentClaim {
  /** A content key (core/identity: it hashes the client id in, so keys are per client). */
  readonly key: string;
  readonly messageId: string;
}

export interface DedupStore {
  reserve(keys: readonly string[], ttlMs: number): Promise<ReserveVerdict[]>;
  confirm(keys: readonly string[], windowMs: number): Promise<void>;
  release(keys: readonly string[]): Promise<void>;
  /**
   * Content dedup at the API, in one atomic round trip: each free key is claimed for its message
   * for `windowMs`; the answer maps each key that was already claimed to the message holding it.
   * Two requests racing with the same key get one winner. A key repeated inside `claims` is claimed
   * by its first entry and is not in the answer (the caller knows its own repeats).
   */
  claimFirst(claims: readonly ContentClaim[], windowMs: number): Promise<Map<string, string>>;
  /**
   * Frees claims still held by these messages (a request that was not accepted after all, so the
   * client's retry is not answered with messages that were never queued). A key another message
   * holds is left alone.
   */
  releaseClaims(claims: readonly ContentClaim[]): Promise<void>;
  /**
   * Whether the store answers right now, for /health. Never throws. A worker keeps sending while it
   * is false (fail-open), so health shows it as degraded, not as a reason to stop.
   */
  healthy(): Promise<boolean>;
  close(): Promise<void>;
}
