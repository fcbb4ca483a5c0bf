import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { MediaStore, MediaToStore } from '../../ports/media-store.ts';
import type { ExpiringStoreOptions } from './expiry-purge.ts';
import { startExpiryPurge } from './expiry-purge.ts';
import { inTransaction } from './in-transaction.ts';
import { answers, openDatabase } from './open-database.ts';
import { guardStore } from './store-failure.ts';

export type SqliteMediaStoreOptions = ExpiringStoreOptions;

/**
 * One row per image, keyed by the SHA-256 of its bytes. A put of bytes already stored only moves
 * keep_until forward (MAX), so the longest-lived message carrying an image decides when it goes.
 */
const MEDIA_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE media (
    sha256 TEXT PRIMARY KEY,
    content BLOB NOT NULL,
    bytes INTEGER NOT NULL,
    keep_until INTEGER NOT NULL
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX media_by_keep_until ON media (keep_until);
  `,
];

/**
 * The embedded media store: its own SQLite file in the data directory, shared by the API (which
 * puts) and the workers (which get). Images are at most 300 KB, a few per message, so a BLOB column
 * is the simple right size (SQLite reads BLOBs of this size as fast as files). Purged by a timer;
 * an image past its keep-until time is still returned until then, which is harmless (a message
 * needing it would have expired first).
 */
export class SqliteMediaStore implements MediaStore {
  readonly #db: DatabaseSync;
  readonly #purgeTimer: NodeJS.Timeout;
  readonly #sql: Record<'put' | 'get' | 'purge', StatementSync>;

  constructor(options: SqliteMediaStoreOptions) {
    this.#db = openDatabase({ path: options.path, component: 'media', migrations: MEDIA_MIGRATIONS });
    this.#sql = {
      put: this.#db.prepare(
        `INSERT INTO media (sha256, content, bytes, keep_until) VALUES (?, ?, ?, ?)
         ON CONFLICT (sha256) DO UPDATE SET keep_until = MAX(keep_until, excluded.keep_until)`,
      ),
      get: this.#db.prepare('SELECT content FROM media WHERE sha256 = ?'),
      purge: this.#db.prepare('DELETE FROM media WHERE keep_until < ?'),
    };
    this.#purgeTimer = startExpiryPurge(
      () => this.purgeExpired(Date.now()),
      options.purgeIntervalMs,
      options.onBackgroundError,
    );
  }

  async put(images: readonly MediaToStore[], keepUntil: number): Promise<void> {
    if (images.length === 0) return;
    guardStore('put', () =>
      inTransaction(this.#db, () => {
        for (const image of images) {
          this.#sql.put.run(image.sha256, image.content, image.content.length, keepUntil);
        }
      }),
    );
  }

  async get(sha256: string): Promise<Uint8Array | undefined> {
    const row = guardStore('get', () => this.#sql.get.get(sha256)) as { content: Uint8Array } | undefined;
    return row?.content;
  }

  async purgeExpired(now: number): Promise<number> {
    return guardStore('purgeExpired', () => Number(this.#sql.purge.run(now).changes));
  }

  async healthy(): Promise<boolean> {
    return answers(this.#db);
  }

  async close(): Promise<void> {
    clearInterval(this.#purgeTimer);
    if (this.#db.isOpen) this.#db.close();
  }
}
