import type { Pool } from 'pg';
import type { MediaStore, MediaToStore } from '../../ports/media-store.ts';
import { MEDIA_MIGRATIONS } from './media-schema.ts';
import { runMigrations } from './migrations.ts';
import type { PostgresConnectionOptions } from './pg-connection.ts';
import { createPool, isPoolHealthy, quoteIdentifier, resolveConnection } from './pg-connection.ts';
import { guardPostgres } from './pg-failure.ts';
import { StartOnce } from './start-once.ts';

export interface PostgresMediaStoreOptions extends PostgresConnectionOptions {
  /** How often images past their keep-until time are deleted; default 10 min; 0: never (tests). */
  readonly purgeIntervalMs?: number;
}

const DEFAULT_PURGE_INTERVAL_MS = 10 * 60_000;

/**
 * The production media store, in herald's PostgreSQL schema, shared by the API replicas (which put)
 * and the workers (which get). A put is one statement over `unnest` for all of a request's images;
 * stored bytes are never rewritten, only their keep-until time moved forward (GREATEST). Each
 * process runs the purge on its timer; concurrent purges delete disjoint or no rows, harmlessly.
 */
export class PostgresMediaStore implements MediaStore {
  readonly #pool: Pool;
  readonly #table: string;
  readonly #start: StartOnce;
  readonly #purgeTimer: NodeJS.Timeout | undefined;

  constructor(options: PostgresMediaStoreOptions) {
    const connection = resolveConnection(options);
    this.#pool = createPool(connection);
    this.#table = `${quoteIdentifier(connection.schema)}.media`;
    this.#start = new StartOnce(() => runMigrations(this.#pool, connection.schema, MEDIA_MIGRATIONS));
    const interval = options.purgeIntervalMs ?? DEFAULT_PURGE_INTERVAL_MS;
    if (interval > 0) {
      this.#purgeTimer = setInterval(() => {
        this.purgeExpired(Date.now()).catch(connection.onBackgroundError);
      }, interval);
      this.#purgeTimer.unref();
    }
  }

  async put(images: readonly MediaToStore[], keepUntil: number): Promise<void> {
    if (images.length === 0) return;
    // The same bytes twice in one request (unnest would hand ON CONFLICT the same key twice).
    const unique = [...new Map(images.map((image) => [image.sha256, image])).values()];
    await this.#run('put', () =>
      this.#pool.query(
        `INSERT INTO ${this.#table} AS m (sha256, content, bytes, keep_until)
         SELECT i.sha256, i.content, length(i.content), $3 FROM unnest($1::text[], $2::bytea[]) AS i (sha256, content)
         ON CONFLICT (sha256) DO UPDATE SET keep_until = GREATEST(m.keep_until, excluded.keep_until)`,
        [unique.map((image) => image.sha256), unique.map((image) => Buffer.from(image.content)), keepUntil],
      ),
    );
  }

  async get(sha256: string): Promise<Uint8Array | undefined> {
    const { rows } = await this.#run('get', () =>
      this.#pool.query<{ content: Buffer }>(`SELECT content FROM ${this.#table} WHERE sha256 = $1`, [sha256]),
    );
    return rows[0]?.content;
  }

  async purgeExpired(now: number): Promise<number> {
    const { rowCount } = await this.#run('purgeExpired', () =>
      this.#pool.query(`DELETE FROM ${this.#table} WHERE keep_until < $1`, [now]),
    );
    return rowCount ?? 0;
  }

  healthy(): Promise<boolean> {
    return isPoolHealthy(this.#pool);
  }

  async close(): Promise<void> {
    clearInterval(this.#purgeTimer);
    if (!this.#pool.ended) await this.#pool.end();
  }

  /** Every call: set the schema up on first use, and map any driver failure to HERALD_UNAVAILABLE. */
  #run<T>(operation: string, work: () => Promise<T>): Promise<T> {
    return guardPostgres(operation, async () => {
      await this.#start.run();
      return work();
    });
  }
}
