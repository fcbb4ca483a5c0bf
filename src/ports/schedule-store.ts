/**
 * Schedule store port: "park this record until T". Records wait in named queues, durably, for as
 * long as they need (a retry in a minute, a night ad until 08:00 KST), however many there are:
 * nothing is held in memory. A releaser claims the due ones in due order and removes them once
 * their release is durable elsewhere (produced back to the transport, or ended in history).
 *
 * Claims are leases, not deletions: a claimed record is hidden from other claims for `leaseMs`
 * and comes back by itself when its claimer dies before `remove`. So a release is at-least-once;
 * the dedup store makes a record released twice harmless.
 *
 * The caller's clock decides what is due (`now` is a parameter), so every process agrees with the
 * clock the pipeline uses and tests can inject one. Deliberately left out: payload types (values are
 * opaque strings), priorities inside a queue (use another queue), driver types and connections.
 * A store that cannot be reached throws HERALD_UNAVAILABLE; the caller keeps its records and waits.
 */
export interface ParkedRecord {
  readonly queue: string;
  /** Unique inside the queue; parking the same id again replaces the record and frees any claim. */
  readonly id: string;
  /** Epoch ms from which the record may be claimed. */
  readonly dueAt: number;
  readonly value: string;
}

export interface ClaimedRecord extends ParkedRecord {
  /** Proof of this claim: `remove` deletes the record only while it is still this claim's. */
  readonly claim: string;
}

export interface ScheduleStore {
  /** Parks every record in one durable write: when it resolves, all of them survive a crash. */
  park(records: readonly ParkedRecord[]): Promise<void>;
  /**
   * Up to `limit` records of `queue` due at `now` and not claimed, earliest due first, each
   * claimed until `now + leaseMs`. Concurrent claims (other processes) never get the same record.
   */
  claimDue(queue: string, now: number, limit: number, leaseMs: number): Promise<ClaimedRecord[]>;
  /**
   * Deletes claimed records whose release is done. A record parked again since it was claimed
   * (a new id-equal record) is kept: only the claim's own version is deleted.
   */
  remove(records: readonly ClaimedRecord[]): Promise<void>;
  /** Records waiting in `queue`, claimed or not (tests, operators). */
  count(queue: string): Promise<number>;
  healthy(): Promise<boolean>;
  close(): Promise<void>;
}
