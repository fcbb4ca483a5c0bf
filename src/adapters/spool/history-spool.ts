import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { AcceptedRequest, MessageEvent, UserPushExpansion } from '../../ports/history-store.ts';
import { inTransaction } from '../sqlite/in-transaction.ts';
import { openDatabase } from '../sqlite/open-database.ts';

/** One write held back while the history store was unreachable. */
export type SpooledWrite =
  | { readonly kind: 'accepted'; readonly request: AcceptedRequest }
  | { readonly kind: 'events'; readonly events: readonly MessageEvent[] }
  | { readonly kind: 'expanded'; readonly expansions: readonly UserPushExpansion[] };

const SPOOL_MIGRATIONS: readonly string[] = [
  `CREATE TABLE spooled_writes (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     items INTEGER NOT NULL,
     body TEXT NOT NULL
   ) STRICT;`,
  `CREATE TABLE parked_writes (
     seq INTEGER PRIMARY KEY,
     parked_at INTEGER NOT NULL,
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
  readonly #park: StatementSync;
  #items: number;

  constructor(path: string) {
    this.#db = openDatabase({ path, component: 'history-spool', migrations: SPOOL_MIGRATIONS });
    this.#insert = this.#db.prepare('INSERT INTO spooled_writes (items, body) VALUES (?, ?)');
    this.#head = this.#db.prepare('SELECT seq, body FROM spooled_writes ORDER BY seq LIMIT 1');
    this.#delete = this.#db.prepare('DELETE FROM spooled_writes WHERE seq = ?');
    this.#park = this.#db.prepare(
      'INSERT INTO parked_writes (seq, parked_at, body) SELECT seq, ?, body FROM spooled_writes WHERE seq = ?',
    );
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
    const items = itemsOf(write);
    this.#insert.run(items, JSON.stringify(write));
    this.#items += items;
  }

  /** The oldest write waiting, with its sequence number to pass to `remove` or `park`. */
  oldest(): { seq: number; write: SpooledWrite } | undefined {
    const row = this.#head.get() as { seq: number; body: string } | undefined;
    return row && { seq: row.seq, write: JSON.parse(row.body) as SpooledWrite };
  }

  /** Drops a write once the store has it. */
  remove(seq: number, write: SpooledWrite): void {
    this.#delete.run(seq);
    this.#items -= itemsOf(write);
  }

  /** Moves a write the store refused for good out of the queue, keeping it for an operator. */
  park(seq: number, write: SpooledWrite): void {
    inTransaction(this.#db, () => {
      this.#park.run(Date.now(), seq);
      this.#delete.run(seq);
    });
    this.#items -= itemsOf(write);
  }

  close(): void {
    this.#db.close();
  }
}

function itemsOf(write: SpooledWrite): number {
  switch (write.kind) {
    case 'accepted':
      return write.request.messages.length + 1;
    case 'events':
      return write.events.length;
    case 'expanded':
      return write.expansions.reduce((sum, expansion) => sum + expansion.children.length, 0);
  }
}
