import type { HistoryChange, MessageEvent, UserPushExpansion } from '../../ports/history-store.ts';
import type { OutgoingRecord } from '../../ports/transport.ts';
import { parseRecordObject } from '../domain/parse-record-object.ts';

/**
 * The history log: every write to history (a request accepted, a worker's events, the device
 * messages a push to a user became) is first a record on this topic, and history is its fold,
 * made by the history writer (history-writer.ts). The API and the workers only produce; none of
 * them waits for PostgreSQL.
 *
 * One partition, on purpose: the writer applies the log in order, and order is what makes the
 * fold right (a `sent` before its `delivered`). A request's record is produced with its messages,
 * so an event of one of them can, rarely, reach the log first; the store keeps it for the message
 * (a pending fold, history-log-plan.ts). One partition of Kafka carries far more than one
 * PostgreSQL can apply, so it is not what bounds the writer; the database is.
 */
export const HISTORY_TOPIC = 'herald.history';
export const HISTORY_PARTITIONS = 1;

/** Events per record: a worker's batch of 500 events stays well under Kafka's 1 MB message limit. */
const EVENTS_PER_RECORD = 250;
const EXPANSIONS_PER_RECORD = 50;

/** The records of one change: large event or expansion batches are split into several. */
export function historyRecords(change: HistoryChange): OutgoingRecord[] {
  if (change.kind === 'accepted') return [record(change)];
  if (change.kind === 'events') {
    return chunks(change.events, EVENTS_PER_RECORD).map((events) => record({ kind: 'events', events }));
  }
  return chunks(change.expansions, EXPANSIONS_PER_RECORD).map((expansions) =>
    record({ kind: 'expanded', expansions }),
  );
}

/** The change a record carries; undefined for a record that is not one (counted as poison). */
export function decodeHistoryRecord(value: string): HistoryChange | undefined {
  const change = parseRecordObject(value);
  if (change === undefined) return undefined;
  if (change.kind === 'accepted' && isObject(change.request)) return change as unknown as HistoryChange;
  if (change.kind === 'events' && isArrayOf<MessageEvent>(change.events, 'messageId')) {
    return change as unknown as HistoryChange;
  }
  if (change.kind === 'expanded' && isArrayOf<UserPushExpansion>(change.expansions, 'parentMessageId')) {
    return change as unknown as HistoryChange;
  }
  return undefined;
}

function record(change: HistoryChange): OutgoingRecord {
  return { topic: HISTORY_TOPIC, key: 'history', value: JSON.stringify(change) };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

function isArrayOf<T>(value: unknown, field: string): value is T[] {
  return Array.isArray(value) && value.every((item) => isObject(item) && field in item);
}
