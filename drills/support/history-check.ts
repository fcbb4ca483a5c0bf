import pg from 'pg';
import { TERMINAL_STATUSES } from '../../src/core/domain/message-status.ts';
import { ENGINE_URLS } from '../../test/support/engines.ts';
import { vendorAccepted } from './vendor-accepted.ts';
import { sleep } from './verdict.ts';

/** The final states (a plain string set: history's rows are read as text). */
const TERMINAL: ReadonlySet<string> = TERMINAL_STATUSES;

/** What herald's history (PostgreSQL, schema `herald_<namespace>`) says once the history writer caught up. */
export interface HistoryCompleteness {
  /**
   * Messages not in a final state at the deadline: flood messages missing from history or still
   * `accepted`, `queued`, ... , and any other message of the namespace (fallbacks) not final.
   */
  readonly unfinished: number;
  /** A few of them, `id status` (status `missing` when history has no row). */
  readonly unfinishedSample: readonly string[];
  /** Flood messages history shows a vendor accepted (`sent`, `delivered`, `undelivered`). */
  readonly vendorAccepted: number;
  /** How long after the call history had every message final (the deadline when it never did), ms. */
  readonly completeAfterMs: number;
}

/**
 * Waits (up to `timeoutMs`) until every message of the flood is in history in a final state, and no
 * other message of the namespace is left short of one. History is a projection the history writer
 * makes of the history log: a message the simulators received is complete only once the writer
 * applied its events.
 */
export async function waitForCompleteHistory(
  namespace: string,
  messageIds: readonly string[],
  timeoutMs: number,
): Promise<HistoryCompleteness> {
  const began = Date.now();
  return withHistory(namespace, async (db, schema) => {
    let look = await lookAtHistory(db, schema, messageIds);
    while (look.unfinished.length > 0 && Date.now() - began < timeoutMs) {
      await sleep(1_000);
      look = await lookAtHistory(db, schema, messageIds);
    }
    return {
      unfinished: look.unfinished.length,
      unfinishedSample: look.unfinished.slice(0, 5),
      vendorAccepted: look.vendorAccepted,
      completeAfterMs: Date.now() - began,
    };
  });
}

/** Events history holds more than once, exactly alike: what a history-log stretch applied twice leaves. */
export interface RepeatedEvents {
  /** Messages with at least one event recorded twice. */
  readonly messages: number;
  /** Copies beyond the first, over all messages. */
  readonly extra: number;
  /** A few, `id status vendor attempt at xN`. */
  readonly sample: readonly string[];
}

/**
 * Events alike in message, status, vendor, attempt and time (to the millisecond): two real changes
 * never are (a resend is a new attempt or a later time), so each is an event applied twice.
 * `duplicate` events are left out: each records one redelivery found already sent, and two copies
 * of a record in one lane batch (a fallback queued again by a Kakao check redone after the kill,
 * beside its first copy) are both found so in the same millisecond, two real events alike.
 */
export async function repeatedEvents(namespace: string): Promise<RepeatedEvents> {
  return withHistory(namespace, async (db, schema) => {
    const rows = await db.query<{
      message_id: string;
      status: string;
      vendor: string;
      attempt: number;
      at: Date;
      n: string;
    }>(
      `SELECT message_id, status, vendor, attempt, at, count(*) AS n FROM ${schema}.message_events
        WHERE status <> 'duplicate'
        GROUP BY message_id, status, at, attempt, vendor HAVING count(*) > 1`,
    );
    return {
      messages: new Set(rows.rows.map((row) => row.message_id)).size,
      extra: rows.rows.reduce((sum, row) => sum + Number(row.n) - 1, 0),
      sample: rows.rows
        .slice(0, 5)
        .map((r) => `${r.message_id} ${r.status} ${r.vendor} ${r.attempt} ${r.at.toISOString()} x${r.n}`),
    };
  });
}

async function withHistory<T>(
  namespace: string,
  use: (db: pg.Client, schema: string) => Promise<T>,
): Promise<T> {
  const db = new pg.Client({ connectionString: ENGINE_URLS.postgres });
  await db.connect();
  try {
    return await use(db, `"herald_${namespace}"`);
  } finally {
    await db.end();
  }
}

/** Two queries: the flood's messages by id, and any other message of the namespace not final. */
async function lookAtHistory(
  db: pg.Client,
  schema: string,
  messageIds: readonly string[],
): Promise<{ unfinished: string[]; vendorAccepted: number }> {
  const rows = await db.query<{ message_id: string; status: string }>(
    `SELECT message_id, status FROM ${schema}.messages WHERE message_id = ANY($1)`,
    [messageIds],
  );
  const status = new Map(rows.rows.map((row) => [row.message_id, row.status]));
  const unfinished = messageIds
    .filter((id) => !TERMINAL.has(status.get(id) ?? 'missing'))
    .map((id) => `${id} ${status.get(id) ?? 'missing'}`);
  const others = await db.query<{ message_id: string; status: string }>(
    `SELECT message_id, status FROM ${schema}.messages WHERE status <> ALL($1) AND message_id <> ALL($2)`,
    [[...TERMINAL], messageIds],
  );
  unfinished.push(...others.rows.map((row) => `${row.message_id} ${row.status}`));
  return {
    unfinished,
    vendorAccepted: messageIds.filter((id) => vendorAccepted(status.get(id))).length,
  };
}
