import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { AcceptedRequest, MessageEvent } from '../../ports/history-store.ts';
import { inTransaction } from '../sqlite/in-transaction.ts';
import { openDatabase } from '../sqlite/open-database.ts';

/** One write held back while the history store was unreachable. */
export type SpooledWrite =
  | { readonly kind: 'accepted'; readonly request: AcceptedRequest }
  | { readonly kind: 'events'; readonly events: readonly MessageEvent[] };

const SPOOL_MIGRATIONS: readonly string[] = [
  `CREATE TABLE spooled_writes (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     items INTEGER NOT NULL,
     body TEXT NOT NULL
   ) STRICT;`,
];

/**
 * A durable FIFO of history writes in a local SQLite file: it survives a crash of the process, so
 * history written during a PostgreSQL outage is neither lost nor held in memory. Counted in items
 * (messages or events), because that is what bounds its size on disk.
 */
export class HistorySpool {
  readonly #db: DatabaseSync;
  readonly #insert: StatementSync;
  readonly #head: StatementSync;
  readonly #delete: StatementSync;
  #items: number;

  constructor(path: string) {
    this.#db = openDatabase({ path, component: 'history-spool', migrations: SPOOL_MIGRATIONS });
    this.#insert = this.#db.prepare('INSERT INTO spooled_writes (items, body) VALUES (?, ?)');
    this.#head = this.#db.prepare('SELECT seq, body FROM spooled_writes ORDER BY seq LIMIT ?');
    this.#delete = this.#db.prepare('DELETE FROM spooled_writes WHERE seq <= ?');
    const row = this.#db.prepare('SELECT COALESCE(SUM(items), 0) AS items FROM spooled_writes').get() as {
      items: number;
    };
    this.#items = row.items;
  }

  /** Items (messages and events) waiting. */
  get items(): number {
    return this.#items;
  }

  push(write: SpooledWrite): void {
    const items = write.kind === 'accepted' ? write.request.messages.length + 1 : write.events.length;
    this.#insert.run(items, JSON.stringify(write));
    this.#items += items;
  }

  /** The oldest writes, in order, with the sequence number to pass to `remove` once applied. */
  peek(limit: number): { upTo: number; writes: SpooledWrite[] } {
    const rows = this.#head.all(limit) as { seq: number; body: string }[];
    return { upTo: rows.at(-1)?.seq ?? 0, writes: rows.map((row) => JSON.parse(row.body) as SpooledWrite) };
  }

  remove(upTo: number, writes: readonly SpooledWrite[]): void {
    inTransaction(this.#db, () => this.#delete.run(upTo));
    for (const write of writes) {
      this.#items -= write.kind === 'accepted' ? write.request.messages.length + 1 : write.events.length;
    }
  }

  close(): void {
    this.#db.close();
  }
}
