/**
 * Idempotency store port: one record per client Idempotency-Key, so a client's retry of a request
 * is answered with the first answer instead of being accepted twice (IETF httpapi
 * draft-ietf-httpapi-idempotency-key-header; Stripe's idempotent requests).
 *
 * A record lives in two states. `claim` turns an unknown key into an in-progress record held for a
 * short lease: the request is being accepted, and a concurrent replay is told so (409). `complete`
 * replaces it with the answer, kept for the window (the dedup window): a replay gets that answer
 * back. `release` deletes an in-progress record whose request stored nothing (refused, or 503), so
 * the client's retry goes through. A lease that lapses (the API process died mid-request) frees
 * the key the same way. Every change is atomic in the store, so two API processes racing on one key
 * see one claim succeed.
 *
 * Kept apart from the dedup store port on purpose: that one is the workers' hot path (a batch of
 * compact message keys per call, no payloads), this one is the API's (one key per request, with a
 * fingerprint and an answer of a few KiB). They share the engine, not the interface.
 *
 * Beside the records, a plain key-value space with a TTL (`remember`, `recall`): what the API keeps
 * for a short while after a 202 (read-your-writes: the request and its messages as history will
 * show them once its projection has caught up). Same engine, same reason to be here (the API's own
 * short-lived state), but its keys are a namespace of their own: a remembered key never meets a
 * record's key, whatever the two strings are.
 *
 * Deliberately left out: what the answer means (an opaque string the caller encodes), who the
 * client is (the key already says it), and connection objects. An adapter that cannot reach its
 * store throws HERALD_UNAVAILABLE; what that means for the request is the caller's choice.
 */
export type IdempotencyClaim =
  /** The key was free (or its lease lapsed): the caller holds it until complete, release or the lease. */
  | { readonly state: 'claimed'; readonly token: string }
  /** Another request with this key is being accepted right now. */
  | { readonly state: 'in-progress'; readonly fingerprint: string }
  /** A request with this key was accepted within the window; `answer` is what it was told. */
  | { readonly state: 'completed'; readonly fingerprint: string; readonly answer: string };

export interface CompletedRecord {
  readonly fingerprint: string;
  readonly answer: string;
}

/** A value kept for a while under a key of the remembered namespace (not an idempotency record's). */
export interface RememberedEntry {
  readonly key: string;
  readonly value: string;
}

export interface IdempotencyStore {
  /** Claims `key` for `leaseMs` with this request's fingerprint, or tells what holds it. */
  claim(key: string, fingerprint: string, leaseMs: number): Promise<IdempotencyClaim>;
  /**
   * Stores the answer for `windowMs` while the caller's claim (its `token`) still holds, or the key
   * is free again. A key another request has claimed since is left to that request.
   */
  complete(key: string, token: string, record: CompletedRecord, windowMs: number): Promise<void>;
  /** Deletes the caller's in-progress claim; a completed record or another's claim stays. */
  release(key: string, token: string): Promise<void>;
  /**
   * Stores every entry for `ttlMs`, replacing what a key held before, in one round trip (one
   * pipeline, one transaction): a request and its messages are remembered together.
   */
  remember(entries: readonly RememberedEntry[], ttlMs: number): Promise<void>;
  /** The value remembered under `key`, or undefined once its TTL has passed (or it never was). */
  recall(key: string): Promise<string | undefined>;
  close(): Promise<void>;
}
