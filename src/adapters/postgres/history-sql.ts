import { HeraldError } from '../../core/domain/errors.ts';
import { AFTER_SENT_STATUSES, TERMINAL_STATUSES } from '../../core/domain/message-status.ts';
import type { AcceptedRequest, MessageEvent, UserPushExpansion } from '../../ports/history-store.ts';
import type { MessageDelta } from './event-fold.ts';
import { quoteIdentifier } from './pg-connection.ts';

/**
 * The history store's SQL, with the schema spelled into every table name (no search_path, so the
 * statements also work through a transaction-pooling proxy). Writes take whole batches as arrays
 * and expand them with unnest: one statement, one round trip, whatever the batch size. Each write
 * is a single statement with data-modifying CTEs, which PostgreSQL runs atomically on its own.
 */
export interface HistorySql {
  readonly recordAccepted: string;
  readonly appendEvents: string;
  readonly recordExpanded: string;
  /**
   * Locks the position row of a log partition (`source`, an escaped literal; made at 0 the first
   * time) and returns it; sent with BEGIN, so without parameters.
   */
  readonly claimPosition: (source: string) => string;
  /**
   * Takes the pending folds whose message exists now and returns their events (but `accepted`) in
   * the order they were written; drops the notes older than $1 ms whose message never came.
   */
  readonly takeReadyFolds: string;
  /**
   * Planner settings for the rest of a stretch's transaction (and of the receipts worker's own
   * appendEvents), sent with BEGIN. Its statements join a stretch's rows (hundreds) to the
   * partitions by key, and only nested loops over index probes do that at a cost that does not grow
   * with the partition. Left to its estimates, PostgreSQL hash-joined them over a sequential scan of
   * the whole partition whenever the partition looked small or had no statistics yet (a flood, the
   * first days of a month; bench laneIsolation: 44 million rows read for 102,011 messages,
   * PostgreSQL the busiest process on the machine). Without statistics it also guesses hundreds of
   * rows per message id, so the nested loop's estimated cost crosses jit_above_cost and every
   * stretch's UPDATE was compiled by LLVM first: 0.7 s of PostgreSQL's CPU for a statement that
   * runs in 15 ms. No JIT for these key-driven statements.
   */
  readonly stretchSettings: string;
  /** Stores the position reached (`source` an escaped literal); sent with COMMIT. */
  readonly storePosition: (source: string, nextOffset: number) => string;
  readonly findByVendorMessageIds: string;
  readonly selectRequest: string;
  readonly selectRequestMessages: string;
  readonly selectMessage: string;
  readonly selectEvents: string;
  readonly selectRequestDevices: string;
  readonly selectDevices: string;
}

const EVENT_COLUMNS = `message_id, status, at, vendor, attempt, latency_ms, error_code, error_message, dedup_fail_open,
  request_id, vendor_message_id, carrier, result_code`;
const MESSAGE_COLUMNS = `message_id, request_id, client_id, channel, lane, recipient_masked, status, vendor,
  attempts, error_code, error_message, created_at, updated_at, parent_message_id`;
const DEVICE_COLUMNS = `c.parent_message_id, c.message_id, c.channel, c.recipient_masked, c.status, c.vendor, c.attempts,
  c.error_code, c.error_message`;

export function historySql(schema: string): HistorySql {
  const t = (table: string) => `${quoteIdentifier(schema)}.${table}`;
  return { ...writeSql(t), ...readSql(t) };
}

type Table = (name: string) => string;

type WriteSql = Pick<
  HistorySql,
  | 'recordAccepted'
  | 'appendEvents'
  | 'recordExpanded'
  | 'claimPosition'
  | 'takeReadyFolds'
  | 'stretchSettings'
  | 'storePosition'
>;

function writeSql(t: Table): WriteSql {
  return {
    // With it, whether any message waits for its creation (pending_folds is empty but for a rare
    // reordering, so the stretches that need no replay pay no statement for it).
    claimPosition: (source) => `
      WITH claimed AS (
        INSERT INTO ${t('history_log_positions')} (source, next_offset) VALUES (${source}, 0)
        ON CONFLICT (source) DO UPDATE SET source = EXCLUDED.source
        RETURNING next_offset
      )
      SELECT next_offset, EXISTS (SELECT 1 FROM ${t('pending_folds')}) AS pending FROM claimed`,
    // The waiting messages and their events are found by index probes (a LATERAL ... LIMIT 1 per
    // note, = ANY of an array): a join, even without hash and merge joins (stretchSettings), was
    // a nested loop over a sequential scan of the partition, each of its rows probing the notes.
    takeReadyFolds: `
      WITH ready AS (
        DELETE FROM ${t('pending_folds')} p
        WHERE p.message_id IN (
          SELECT q.message_id FROM ${t('pending_folds')} q
          CROSS JOIN LATERAL (
            SELECT 1 FROM ${t('messages')} m WHERE m.message_id = q.message_id LIMIT 1
          ) AS found
        )
        RETURNING p.message_id
      ), stale AS (
        DELETE FROM ${t('pending_folds')}
        WHERE noted_at < now() - $1::integer * interval '1 millisecond'
          AND message_id NOT IN (SELECT message_id FROM ready)
      )
      SELECT ${EVENT_COLUMNS} FROM ${t('message_events')}
      WHERE message_id = ANY (ARRAY(SELECT message_id FROM ready)) AND status <> 'accepted'
      ORDER BY seq`,
    stretchSettings: 'SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off; SET LOCAL jit = off',
    storePosition: (source, nextOffset) =>
      `UPDATE ${t('history_log_positions')} SET next_offset = ${Math.trunc(nextOffset)} WHERE source = ${source}`,
    // Any number of requests in one statement (the history writer's stretch holds many): every
    // column an array, each row naming its request. Only a newly inserted message gets its
    // `accepted` event: a retried request adds nothing.
    recordAccepted: `
      WITH request AS (
        INSERT INTO ${t('requests')} (request_id, client_id, lane, channel, accepted_at)
        SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[])
        ON CONFLICT DO NOTHING
      ), inserted AS (
        INSERT INTO ${t('messages')} (message_id, request_id, client_id, message_key, channel, lane,
          recipient_masked, recipient_hash, status, attempts, created_at, updated_at)
        SELECT m.message_id, m.request_id, m.client_id, m.message_key, m.channel, m.lane,
          m.recipient_masked, m.recipient_hash, 'accepted', 0, m.accepted_at, m.accepted_at
        FROM unnest($6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[],
          $13::text[], $14::timestamptz[])
          AS m(message_id, request_id, client_id, lane, message_key, channel, recipient_masked,
            recipient_hash, accepted_at)
        ON CONFLICT DO NOTHING
        RETURNING message_id, created_at
      ), accepted_events AS (
        INSERT INTO ${t('message_events')} (message_id, status, at)
        SELECT message_id, 'accepted', created_at FROM inserted
      ), rejections AS (
        INSERT INTO ${t('request_rejections')} (request_id, message_index, error_code, error_message, accepted_at)
        SELECT * FROM unnest($20::text[], $21::integer[], $22::text[], $23::text[], $24::timestamptz[])
        ON CONFLICT DO NOTHING
      )
      INSERT INTO ${t('request_messages')} (request_id, message_index, message_id, duplicate, accepted_at)
      SELECT * FROM unnest($15::text[], $16::integer[], $17::text[], $18::boolean[], $19::timestamptz[])
      ON CONFLICT DO NOTHING`,
    // Events keep batch order in `seq`; the row moves only while it is not terminal (or from `sent`
    // to its delivery result: canMove), checked by the UPDATE itself so a concurrent terminal update
    // (seen after its row lock) still wins. A message with no row yet is noted in pending_folds
    // (history-log-plan.ts): only the deltas the UPDATE did not move are looked for.
    appendEvents: `
      WITH events AS (
        INSERT INTO ${t('message_events')} (${EVENT_COLUMNS})
        SELECT ${EVENT_COLUMNS}
        FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::integer[],
          $6::double precision[], $7::text[], $8::text[], $9::boolean[], $10::text[], $21::text[],
          $22::text[], $23::text[])
          WITH ORDINALITY AS e(${EVENT_COLUMNS}, position)
        ORDER BY position
      ), moved AS (
      UPDATE ${t('messages')} AS m SET
        status = d.status,
        attempts = greatest(m.attempts, d.attempt),
        vendor = coalesce(d.vendor, m.vendor),
        vendor_message_id = coalesce(d.vendor_message_id, m.vendor_message_id),
        carrier = coalesce(d.carrier, m.carrier),
        error_code = CASE d.error_change WHEN 'clear' THEN NULL WHEN 'set' THEN d.error_code ELSE m.error_code END,
        error_message = CASE d.error_change WHEN 'clear' THEN NULL WHEN 'set' THEN d.error_message
                             ELSE m.error_message END,
        updated_at = greatest(m.updated_at, d.at)
      FROM unnest($11::text[], $12::text[], $13::integer[], $14::text[], $15::text[], $16::text[], $17::text[],
          $18::timestamptz[], $24::text[], $25::text[])
          AS d(message_id, status, attempt, vendor, error_change, error_code, error_message, at, vendor_message_id,
            carrier)
      WHERE m.message_id = d.message_id
        AND (m.status <> ALL ($19::text[]) OR (m.status = 'sent' AND d.status = ANY ($20::text[])))
      RETURNING m.message_id
      )
      INSERT INTO ${t('pending_folds')} (message_id, noted_at)
      SELECT d.message_id, now() FROM unnest($11::text[]) AS d(message_id)
      WHERE NOT EXISTS (SELECT 1 FROM moved WHERE moved.message_id = d.message_id)
        AND NOT EXISTS (SELECT 1 FROM ${t('messages')} x WHERE x.message_id = d.message_id)
      ON CONFLICT (message_id) DO NOTHING`,
    // Children take their parent's created_at, the same on every redelivery, so ON CONFLICT
    // (message_id, created_at) finds one already recorded; only new ones get their event.
    recordExpanded: `
      WITH inserted AS (
        INSERT INTO ${t('messages')} (message_id, request_id, client_id, message_key, channel, lane,
          recipient_masked, recipient_hash, status, attempts, created_at, updated_at, parent_message_id)
        SELECT c.message_id, c.request_id, c.client_id, c.message_key, c.channel, c.lane, c.recipient_masked,
          c.recipient_hash, 'accepted', 0, c.created_at, c.at, c.parent_message_id
        FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
          $8::timestamptz[], $9::timestamptz[], $10::text[], $11::text[])
          AS c(message_id, request_id, client_id, message_key, lane, recipient_masked, recipient_hash,
            created_at, at, parent_message_id, channel)
        ON CONFLICT DO NOTHING
        RETURNING message_id, updated_at
      )
      INSERT INTO ${t('message_events')} (message_id, status, at)
      SELECT message_id, 'accepted', updated_at FROM inserted`,
  };
}

function readSql(t: Table): Omit<HistorySql, keyof WriteSql> {
  return {
    findByVendorMessageIds: `
      SELECT message_id, client_id, channel, lane, status, vendor_message_id FROM ${t('messages')}
      WHERE vendor = $1 AND vendor_message_id = ANY ($2::text[])`,
    selectRequest: `
      SELECT request_id, client_id, lane, channel, accepted_at FROM ${t('requests')}
      WHERE request_id = $1 AND client_id = $2`,
    // A request's messages, and below their devices, are found by index probes of their ids: a
    // plain join on message_id was a sequential scan of the partition whenever its statistics
    // lagged (stretchSettings says why). LIMIT 1 keeps PostgreSQL from flattening the LATERAL
    // subquery back into that join; the devices' parents go in as an array (= ANY).
    selectRequestMessages: `
      SELECT rm.message_index, rm.message_id, rm.duplicate, m.status, m.vendor, m.attempts,
        m.error_code, m.error_message
      FROM ${t('request_messages')} rm
      CROSS JOIN LATERAL (
        SELECT x.status, x.vendor, x.attempts, x.error_code, x.error_message
        FROM ${t('messages')} x WHERE x.message_id = rm.message_id LIMIT 1
      ) AS m
      WHERE rm.request_id = $1
      UNION ALL
      SELECT message_index, NULL, false, NULL, NULL, 0, error_code, error_message
      FROM ${t('request_rejections')} WHERE request_id = $1
      ORDER BY 1`,
    selectMessage: `SELECT ${MESSAGE_COLUMNS} FROM ${t('messages')} WHERE message_id = $1 AND client_id = $2`,
    selectEvents: `SELECT ${EVENT_COLUMNS} FROM ${t('message_events')} WHERE message_id = $1 ORDER BY seq`,
    selectRequestDevices: `
      SELECT DISTINCT ${DEVICE_COLUMNS} FROM ${t('messages')} c
      WHERE c.parent_message_id = ANY (ARRAY(
        SELECT message_id FROM ${t('request_messages')} WHERE request_id = $1
      ))
      ORDER BY c.parent_message_id, c.message_id`,
    selectDevices: `
      SELECT ${DEVICE_COLUMNS} FROM ${t('messages')} c
      WHERE c.parent_message_id = $1 AND c.client_id = $2 ORDER BY c.message_id`,
  };
}

/** Parameters of `recordExpanded`: one array per column, a row per child of every expansion. */
export function expandedParams(expansions: readonly UserPushExpansion[]): unknown[] {
  const rows = expansions.flatMap((expansion) => expansion.children.map((child) => ({ expansion, child })));
  return [
    rows.map((r) => r.child.messageId),
    rows.map((r) => r.expansion.requestId),
    rows.map((r) => r.expansion.clientId),
    rows.map((r) => r.child.key),
    rows.map((r) => r.expansion.lane),
    rows.map((r) => r.child.recipientMasked),
    rows.map((r) => r.child.recipientHash),
    rows.map((r) => timestamp(r.expansion.createdAt)),
    rows.map((r) => timestamp(r.expansion.at)),
    rows.map((r) => r.expansion.parentMessageId),
    rows.map((r) => r.expansion.channel ?? 'push'),
  ];
}

/**
 * Parameters of `recordAccepted` for any number of requests: the requests column by column, then
 * their messages, links (recipient index -> message, duplicates too) and refused recipients, each
 * row with its request's id and acceptance time (the partition key of every table).
 */
export function acceptedParams(requests: readonly AcceptedRequest[]): unknown[] {
  const messages = requests.flatMap((request) => request.messages.map((m) => ({ request, m })));
  const links = requests.flatMap((request) => [
    ...request.messages.map((m) => ({ request, index: m.index, messageId: m.messageId, duplicate: false })),
    ...request.duplicates.map((d) => ({ request, index: d.index, messageId: d.messageId, duplicate: true })),
  ]);
  const rejected = requests.flatMap((request) => (request.rejected ?? []).map((r) => ({ request, r })));
  return [
    requests.map((request) => request.requestId),
    requests.map((request) => request.clientId),
    requests.map((request) => request.lane),
    requests.map((request) => request.channel),
    requests.map((request) => timestamp(request.acceptedAt)),
    messages.map(({ m }) => m.messageId),
    messages.map(({ request }) => request.requestId),
    messages.map(({ request }) => request.clientId),
    messages.map(({ request }) => request.lane),
    messages.map(({ m }) => m.key),
    messages.map(({ m }) => m.channel),
    messages.map(({ m }) => m.recipientMasked),
    messages.map(({ m }) => m.recipientHash),
    messages.map(({ request }) => timestamp(request.acceptedAt)),
    links.map(({ request }) => request.requestId),
    links.map((l) => l.index),
    links.map((l) => l.messageId),
    links.map((l) => l.duplicate),
    links.map(({ request }) => timestamp(request.acceptedAt)),
    rejected.map(({ request }) => request.requestId),
    rejected.map(({ r }) => r.index),
    rejected.map(({ r }) => r.error.code),
    rejected.map(({ r }) => r.error.message),
    rejected.map(({ request }) => timestamp(request.acceptedAt)),
  ];
}

/** Parameters of `appendEvents`: the events column by column, then the folded row changes. */
export function eventParams(events: readonly MessageEvent[], deltas: readonly MessageDelta[]): unknown[] {
  return [
    events.map((e) => e.messageId),
    events.map((e) => e.status),
    events.map((e) => timestamp(e.at)),
    events.map((e) => e.vendor ?? null),
    events.map((e) => e.attempt ?? null),
    events.map((e) => e.latencyMs ?? null),
    events.map((e) => e.errorCode ?? null),
    events.map((e) => e.errorMessage ?? null),
    events.map((e) => e.dedupFailOpen ?? null),
    events.map((e) => e.requestId ?? null),
    deltas.map((d) => d.messageId),
    deltas.map((d) => d.status),
    deltas.map((d) => d.attempt),
    deltas.map((d) => d.vendor),
    deltas.map((d) => d.error.kind),
    deltas.map((d) => (d.error.kind === 'set' ? d.error.code : null)),
    deltas.map((d) => (d.error.kind === 'set' ? d.error.message : null)),
    deltas.map((d) => timestamp(d.at)),
    [...TERMINAL_STATUSES],
    [...AFTER_SENT_STATUSES],
    events.map((e) => e.vendorMessageId ?? null),
    events.map((e) => e.carrier ?? null),
    events.map((e) => e.resultCode ?? null),
    deltas.map((d) => d.vendorMessageId),
    deltas.map((d) => d.carrier),
  ];
}

/**
 * Epoch ms as a timestamptz parameter. A time that is not a number is a caller's bug: the whole
 * batch is refused (as the embedded store refuses it), and not retryable, since it never will be.
 * ISO text rather than a Date: every parameter is a timestamptz (cast, or compared with one), and
 * pg turns a Date into text by a dozen padded pieces, twice per event the history writer applies.
 */
export function timestamp(ms: number): string {
  if (!Number.isFinite(ms)) {
    throw new HeraldError('HERALD_UNAVAILABLE', `history time is not a number: ${ms}`, { retryable: false });
  }
  return new Date(ms).toISOString();
}
