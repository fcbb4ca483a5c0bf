import { randomUUID } from 'node:crypto';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { ClaimedRecord, ParkedRecord, ScheduleStore } from '../../ports/schedule-store.ts';
import { inTransaction } from './in-transaction.ts';
import { openDatabase } from './open-database.ts';
import { guardStore } from './store-failure.ts';

export interface SqliteScheduleStoreOptions {
  readonly path: string;
}

/**
 * `visible_at` is when a claim may take the row: its due time, or the end of the lease of the claim
 * that holds it. One indexed column serves both "due" and "not claimed", so a claim is one range
 * scan however many rows wait behind it. Values are envelopes of up to a few KB, hence a rowid table
 * (WITHOUT ROWID suits small rows only).
 */
const SCHEDULE_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE scheduled_records (
    queue TEXT NOT NULL,
    id TEXT NOT NULL,
    due_at INTEGER NOT NULL,
    visible_at INTEGER NOT NULL,
    claim TEXT,
    value TEXT NOT NULL,
    PRIMARY KEY (queue, id)
  ) STRICT;
  CREATE INDEX scheduled_records_by_visibility ON scheduled_records (queue, visible_at);
  `,
];

interface ClaimedRow {
  id: string;
  due_at: number;
  value: string;
}

/**
 * The embedded schedule store: one SQLite file, every write one transaction, so parked records
 * survive a crash or SIGKILL the moment `park` resolves. Several processes on one data directory
 * share it safely (claims run under the write lock).
 */
export class SqliteScheduleStore implements ScheduleStore {
  readonly #db: DatabaseSync;
  readonly #sql: Record<'upsert' | 'claim' | 'remove' | 'count', StatementSync>;

  constructor(options: SqliteScheduleStoreOptions) {
    const db = openDatabase({ path: options.path, component: 'schedule', migrations: SCHEDULE_MIGRATIONS });
    this.#db = db;
    this.#sql = {
      upsert: db.prepare(
        `INSERT INTO scheduled_records (queue, id, due_at, visible_at, claim, value) VALUES (?, ?, ?, ?, NULL, ?)
         ON CONFLICT (queue, id) DO UPDATE SET due_at = excluded.due_at, visible_at = excluded.visible_at,
           claim = NULL, value = excluded.value`,
      ),
      claim: db.prepare(
        `UPDATE scheduled_records SET visible_at = :until, claim = :claim
         WHERE rowid IN (
           SELECT rowid FROM scheduled_records WHERE queue = :queue AND visible_at <= :now
           ORDER BY visible_at LIMIT :limit
         )
         RETURNING id, due_at, value`,
      ),
      remove: db.prepare('DELETE FROM scheduled_records WHERE queue = ? AND id = ? AND claim = ?'),
      count: db.prepare('SELECT count(*) AS count FROM scheduled_records WHERE queue = ?'),
    };
  }

  async park(records: readonly ParkedRecord[]): Promise<void> {
    if (records.length === 0) return;
    guardStore('park', () =>
      inTransaction(this.#db, () => {
        for (const { queue, id, dueAt, value } of records)
          this.#sql.upsert.run(queue, id, dueAt, dueAt, value);
      }),
    );
  }

  async claimDue(queue: string, now: number, limit: number, leaseMs: number): Promise<ClaimedRecord[]> {
    if (limit <= 0) return [];
    const claim = randomUUID();
    const rows = guardStore('claimDue', () =>
      inTransaction(
        this.#db,
        () =>
          this.#sql.claim.all({ queue, now, limit, until: now + leaseMs, claim }) as unknown as ClaimedRow[],
      ),
    );
    // RETURNING gives rows in no promised order.
    return rows
      .map((row) => ({ queue, id: row.id, dueAt: row.due_at, value: row.value, claim }))
      .sort((a, b) => a.dueAt - b.dueAt);
  }

  async remove(records: readonly ClaimedRecord[]): Promise<void> {
    if (records.length === 0) return;
    guardStore('remove', () =>
      inTransaction(this.#db, () => {
        for (const { queue, id, claim } of records) this.#sql.remove.run(queue, id, claim);
      }),
    );
  }

  async count(queue: string): Promise<number> {
    return guardStore('count', () => (this.#sql.count.get(queue) as { count: number }).count);
  }

  async healthy(): Promise<boolean> {
    try {
      this.#sql.count.get('');
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.#db.isOpen) this.#db.close();
  }
}
