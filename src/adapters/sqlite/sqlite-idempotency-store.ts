import { randomUUID } from 'node:crypto';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type {
  CompletedRecord,
  IdempotencyClaim,
  IdempotencyStore,
  RememberedEntry,
} from '../../ports/idempotency-store.ts';
import type { ExpiringStoreOptions } from './expiry-purge.ts';
import { startExpiryPurge } from './expiry-purge.ts';
import { inTransaction } from './in-transaction.ts';
import { openDatabase } from './open-database.ts';
import { guardStore } from './store-failure.ts';

export type SqliteIdempotencyStoreOptions = ExpiringStoreOptions;

const IN_PROGRESS = 'p';
const COMPLETED = 'c';

/** A rowid table, not WITHOUT ROWID: an answer of 100 recipients is several KiB, too large for one. */
const IDEMPOTENCY_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE idempotency_records (
    key TEXT PRIMARY KEY,
    state TEXT NOT NULL CHECK (state IN ('p', 'c')),
    token TEXT,
    fingerprint TEXT NOT NULL,
    answer TEXT,
    expires_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX idempotency_records_by_expiry ON idempotency_records (expires_at);
  `,
  // The remembered namespace (remember/recall): a table of its own, so its keys never meet records'.
  `
  CREATE TABLE remembered_entries (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX remembered_entries_by_expiry ON remembered_entries (expires_at);
  `,
];

interface RecordRow {
  state: string;
  token: string | null;
  fingerprint: string;
  answer: string | null;
  expires_at: number;
}

/**
 * The embedded idempotency store: one row per record key, in progress (with its claimant's token)
 * or completed (with the answer), and an absolute expiry: the lease, then the window. A row past
 * its expiry counts as absent, so a lapsed lease frees the key at once; the purge only keeps the
 * file small. Each call is one IMMEDIATE transaction, so API processes sharing the file cannot
 * both claim a key. Remembered entries live in a table of their own, with the same expiry rule.
 * Survives a crash or restart.
 */
export class SqliteIdempotencyStore implements IdempotencyStore {
  readonly #db: DatabaseSync;
  readonly #purgeTimer: NodeJS.Timeout;
  readonly #select: StatementSync;
  readonly #upsert: StatementSync;
  readonly #deleteClaim: StatementSync;
  readonly #deleteExpired: StatementSync;
  readonly #rememberEntry: StatementSync;
  readonly #recallEntry: StatementSync;
  readonly #deleteExpiredEntries: StatementSync;

  constructor(options: SqliteIdempotencyStoreOptions) {
    this.#db = openDatabase({
      path: options.path,
      component: 'idempotency',
      migrations: IDEMPOTENCY_MIGRATIONS,
    });
    this.#select = this.#db.prepare(
      'SELECT state, token, fingerprint, answer, expires_at FROM idempotency_records WHERE key = ?',
    );
    this.#upsert = this.#db.prepare(
      `INSERT INTO idempotency_records (key, state, token, fingerprint, answer, expires_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET state = excluded.state, token = excluded.token,
         fingerprint = excluded.fingerprint, answer = excluded.answer, expires_at = excluded.expires_at`,
    );
    this.#deleteClaim = this.#db.prepare(
      `DELETE FROM idempotency_records WHERE key = ? AND state = '${IN_PROGRESS}' AND token = ?`,
    );
    this.#deleteExpired = this.#db.prepare('DELETE FROM idempotency_records WHERE expires_at <= ?');
    this.#rememberEntry = this.#db.prepare(
      `INSERT INTO remembered_entries (key, value, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
    );
    this.#recallEntry = this.#db.prepare(
      'SELECT value FROM remembered_entries WHERE key = ? AND expires_at > ?',
    );
    this.#deleteExpiredEntries = this.#db.prepare('DELETE FROM remembered_entries WHERE expires_at <= ?');
    this.#purgeTimer = startExpiryPurge(
      () => this.purgeExpired(),
      options.purgeIntervalMs,
      options.onBackgroundError,
    );
  }

  async claim(key: string, fingerprint: string, leaseMs: number): Promise<IdempotencyClaim> {
    return guardStore('claim', () =>
      inTransaction(this.#db, () => {
        const now = Date.now();
        const row = this.#live(key, now);
        if (row?.state === COMPLETED) {
          return { state: 'completed', fingerprint: row.fingerprint, answer: row.answer ?? '' };
        }
        if (row) return { state: 'in-progress', fingerprint: row.fingerprint };
        const token = randomUUID();
        this.#upsert.run(key, IN_PROGRESS, token, fingerprint, null, now + Math.ceil(leaseMs));
        return { state: 'claimed', token };
      }),
    );
  }

  async complete(key: string, token: string, record: CompletedRecord, windowMs: number): Promise<void> {
    guardStore('complete', () =>
      inTransaction(this.#db, () => {
        const now = Date.now();
        const row = this.#live(key, now);
        const ours = row === undefined || (row.state === IN_PROGRESS && row.token === token);
        if (!ours) return;
        this.#upsert.run(key, COMPLETED, null, record.fingerprint, record.answer, now + Math.ceil(windowMs));
      }),
    );
  }

  async release(key: string, token: string): Promise<void> {
    guardStore('release', () => this.#deleteClaim.run(key, token));
  }

  async remember(entries: readonly RememberedEntry[], ttlMs: number): Promise<void> {
    if (entries.length === 0) return;
    guardStore('remember', () =>
      inTransaction(this.#db, () => {
        const expiresAt = Date.now() + Math.ceil(ttlMs);
        for (const entry of entries) this.#rememberEntry.run(entry.key, entry.value, expiresAt);
      }),
    );
  }

  async recall(key: string): Promise<string | undefined> {
    return guardStore('recall', () => {
      const row = this.#recallEntry.get(key, Date.now()) as { value: string } | undefined;
      return row?.value;
    });
  }

  /** Deletes expired records and entries; runs on a timer, public for tests and maintenance. Returns the count. */
  purgeExpired(now: number = Date.now()): number {
    return guardStore('purge', () =>
      inTransaction(
        this.#db,
        () =>
          Number(this.#deleteExpired.run(now).changes) + Number(this.#deleteExpiredEntries.run(now).changes),
      ),
    );
  }

  async close(): Promise<void> {
    if (!this.#db.isOpen) return;
    clearInterval(this.#purgeTimer);
    this.#db.close();
  }

  /** The record under `key`, unless it has expired (then the key is free). */
  #live(key: string, now: number): RecordRow | undefined {
    const row = this.#select.get(key) as RecordRow | undefined;
    return row !== undefined && row.expires_at > now ? row : undefined;
  }
}
