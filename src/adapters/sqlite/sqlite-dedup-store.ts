import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { ContentClaim, DedupStore, ReserveVerdict } from '../../ports/dedup-store.ts';
import type { ExpiringStoreOptions } from './expiry-purge.ts';
import { startExpiryPurge } from './expiry-purge.ts';
import { inTransaction } from './in-transaction.ts';
import { answers, openDatabase } from './open-database.ts';
import { guardStore } from './store-failure.ts';

export type SqliteDedupStoreOptions = ExpiringStoreOptions;

const RESERVED = 'r';
const CONFIRMED = 'c';

const DEDUP_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE dedup_keys (
    key TEXT PRIMARY KEY,
    state TEXT NOT NULL CHECK (state IN ('r', 'c')),
    expires_at INTEGER NOT NULL
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX dedup_keys_by_expiry ON dedup_keys (expires_at);
  `,
  // Content claims (dedup.byContent): a table of their own, so a content key never meets a message key.
  `
  CREATE TABLE content_claims (
    key TEXT PRIMARY KEY,
    message_id TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX content_claims_by_expiry ON content_claims (expires_at);
  `,
];

/**
 * The embedded dedup store: one row per message key, state 'r' (reserved) or 'c' (confirmed
 * sent), with an absolute expiry. A row past its expiry counts as absent, so correctness never
 * waits for the purge timer; the purge only keeps the file small. Survives a crash or restart.
 * Content claims are rows of `content_claims` (key, holding message, expiry), read the same way.
 */
export class SqliteDedupStore implements DedupStore {
  readonly #db: DatabaseSync;
  readonly #purgeTimer: NodeJS.Timeout;
  readonly #select: StatementSync;
  readonly #upsert: StatementSync;
  readonly #deleteReserved: StatementSync;
  readonly #deleteExpired: StatementSync;
  readonly #selectClaim: StatementSync;
  readonly #upsertClaim: StatementSync;
  readonly #deleteClaim: StatementSync;
  readonly #deleteExpiredClaims: StatementSync;

  constructor(options: SqliteDedupStoreOptions) {
    this.#db = openDatabase({ path: options.path, component: 'dedup', migrations: DEDUP_MIGRATIONS });
    this.#select = this.#db.prepare('SELECT state, expires_at FROM dedup_keys WHERE key = ?');
    this.#upsert = this.#db.prepare(
      `INSERT INTO dedup_keys (key, state, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET state = excluded.state, expires_at = excluded.expires_at`,
    );
    this.#deleteReserved = this.#db.prepare(`DELETE FROM dedup_keys WHERE key = ? AND state = '${RESERVED}'`);
    this.#deleteExpired = this.#db.prepare('DELETE FROM dedup_keys WHERE expires_at <= ?');
    this.#selectClaim = this.#db.prepare('SELECT message_id, expires_at FROM content_claims WHERE key = ?');
    this.#upsertClaim = this.#db.prepare(
      `INSERT INTO content_claims (key, message_id, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET message_id = excluded.message_id, expires_at = excluded.expires_at`,
    );
    this.#deleteClaim = this.#db.prepare('DELETE FROM content_claims WHERE key = ? AND message_id = ?');
    this.#deleteExpiredClaims = this.#db.prepare('DELETE FROM content_claims WHERE expires_at <= ?');
    this.#purgeTimer = startExpiryPurge(
      () => this.purgeExpired(),
      options.purgeIntervalMs,
      options.onBackgroundError,
    );
  }

  async reserve(keys: readonly string[], ttlMs: number): Promise<ReserveVerdict[]> {
    if (keys.length === 0) return [];
    return guardStore('reserve', () =>
      inTransaction(this.#db, () => {
        const now = Date.now();
        return keys.map((key) => this.#reserveOne(key, now, now + Math.ceil(ttlMs)));
      }),
    );
  }

  async confirm(keys: readonly string[], windowMs: number): Promise<void> {
    if (keys.length === 0) return;
    guardStore('confirm', () =>
      inTransaction(this.#db, () => {
        const expiresAt = Date.now() + Math.ceil(windowMs);
        for (const key of keys) this.#upsert.run(key, CONFIRMED, expiresAt);
      }),
    );
  }

  /** Frees reservations only: a confirmed key stays sent, whatever a confused caller asks. */
  async release(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    guardStore('release', () =>
      inTransaction(this.#db, () => {
        for (const key of keys) this.#deleteReserved.run(key);
      }),
    );
  }

  async claimFirst(claims: readonly ContentClaim[], windowMs: number): Promise<Map<string, string>> {
    if (claims.length === 0) return new Map();
    return guardStore('claimFirst', () =>
      inTransaction(this.#db, () => {
        const now = Date.now();
        const expiresAt = now + Math.ceil(windowMs);
        const held = new Map<string, string>();
        const claimedHere = new Set<string>();
        for (const { key, messageId } of claims) {
          if (claimedHere.has(key) || held.has(key)) continue; // a repeat: its first entry decided
          const row = this.#selectClaim.get(key) as { message_id: string; expires_at: number } | undefined;
          if (row !== undefined && row.expires_at > now) {
            held.set(key, row.message_id);
          } else {
            this.#upsertClaim.run(key, messageId, expiresAt);
            claimedHere.add(key);
          }
        }
        return held;
      }),
    );
  }

  async releaseClaims(claims: readonly ContentClaim[]): Promise<void> {
    if (claims.length === 0) return;
    guardStore('releaseClaims', () =>
      inTransaction(this.#db, () => {
        for (const { key, messageId } of claims) this.#deleteClaim.run(key, messageId);
      }),
    );
  }

  /** Deletes expired keys and claims; runs on a timer, public for tests and maintenance. Returns the count. */
  purgeExpired(now: number = Date.now()): number {
    return guardStore('purge', () =>
      inTransaction(
        this.#db,
        () =>
          Number(this.#deleteExpired.run(now).changes) + Number(this.#deleteExpiredClaims.run(now).changes),
      ),
    );
  }

  async healthy(): Promise<boolean> {
    return answers(this.#db);
  }

  async close(): Promise<void> {
    if (!this.#db.isOpen) return;
    clearInterval(this.#purgeTimer);
    this.#db.close();
  }

  #reserveOne(key: string, now: number, expiresAt: number): ReserveVerdict {
    const row = this.#select.get(key) as { state: string; expires_at: number } | undefined;
    if (row !== undefined && row.expires_at > now) {
      return row.state === CONFIRMED ? 'sent' : 'in-flight';
    }
    this.#upsert.run(key, RESERVED, expiresAt);
    return 'reserved';
  }
}
