import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { Channel } from '../../core/domain/channel.ts';
import type { Lane } from '../../core/domain/lane.ts';
import { canMove, type MessageStatus } from '../../core/domain/message-status.ts';
import type {
  AcceptedRequest,
  HistoryLogBatch,
  HistoryStore,
  MessageEvent,
  MessageView,
  RequestView,
  UserPushExpansion,
  VendorMessageRef,
} from '../../ports/history-store.ts';
import { PENDING_FOLD_MS, planLogBatch } from '../history-log-plan.ts';
import { toVendorMessageRef, type VendorMessageRow, withDevices } from '../history-views.ts';
import type { DeviceMessageRow, EventRow, MessageRow, RequestMessageRow } from './history-rows.ts';
import { eventParams, toMessageEvent, toMessageView, toRequestMessageView } from './history-rows.ts';
import { HISTORY_MIGRATIONS } from './history-schema.ts';
import { inTransaction } from './in-transaction.ts';
import { answers, openDatabase } from './open-database.ts';
import { guardStore } from './store-failure.ts';

export interface SqliteHistoryStoreOptions {
  readonly path: string;
}

const MESSAGE_COLUMNS = `message_id, request_id, client_id, channel, lane, recipient_masked, status, vendor,
  attempts, error_code, error_message, created_at, updated_at, parent_message_id`;
const DEVICE_COLUMNS = `c.parent_message_id, c.message_id, c.channel, c.recipient_masked, c.status, c.vendor, c.attempts,
  c.error_code, c.error_message`;

/**
 * The embedded history store. Every write is one transaction per batch; writes are idempotent
 * where a retry is likely (recordAccepted after a timeout), so a repeated batch adds nothing.
 */
export class SqliteHistoryStore implements HistoryStore {
  readonly #db: DatabaseSync;
  readonly #sql: Record<
    | 'insertRequest'
    | 'insertMessage'
    | 'insertChild'
    | 'insertRequestMessage'
    | 'insertRejection'
    | 'insertEvent'
    | 'selectStatus'
    | 'updateMessage'
    | 'selectByVendorMessageId'
    | 'selectRequest'
    | 'selectRequestMessages'
    | 'selectMessage'
    | 'selectEvents'
    | 'selectRequestDevices'
    | 'selectDevices'
    | 'claimPosition'
    | 'storePosition'
    | 'notePending'
    | 'hasPending'
    | 'takeReadyPending'
    | 'dropStalePending',
    StatementSync
  >;

  constructor(options: SqliteHistoryStoreOptions) {
    this.#db = openDatabase({ path: options.path, component: 'history', migrations: HISTORY_MIGRATIONS });
    const db = this.#db;
    this.#sql = {
      insertRequest: db.prepare(
        `INSERT INTO requests (request_id, client_id, lane, channel, accepted_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT DO NOTHING`,
      ),
      insertMessage: db.prepare(
        `INSERT INTO messages (message_id, request_id, client_id, message_key, channel, lane,
           recipient_masked, recipient_hash, status, attempts, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'accepted', 0, ?, ?) ON CONFLICT DO NOTHING`,
      ),
      insertChild: db.prepare(
        `INSERT INTO messages (message_id, request_id, client_id, message_key, channel, lane,
           recipient_masked, recipient_hash, status, attempts, created_at, updated_at, parent_message_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'accepted', 0, ?, ?, ?) ON CONFLICT DO NOTHING`,
      ),
      insertRequestMessage: db.prepare(
        `INSERT INTO request_messages (request_id, message_index, message_id, duplicate) VALUES (?, ?, ?, ?)
         ON CONFLICT DO NOTHING`,
      ),
      insertRejection: db.prepare(
        `INSERT INTO request_rejections (request_id, message_index, error_code, error_message) VALUES (?, ?, ?, ?)
         ON CONFLICT DO NOTHING`,
      ),
      insertEvent: db.prepare(
        `INSERT INTO message_events (message_id, status, at, vendor, attempt, latency_ms, error_code,
           error_message, dedup_fail_open, request_id, vendor_message_id, carrier, result_code)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      selectStatus: db.prepare('SELECT status FROM messages WHERE message_id = ?'),
      // A `sent` clears the error; any other event keeps the last error unless it carries one.
      updateMessage: db.prepare(
        `UPDATE messages SET
           status = :status,
           attempts = max(attempts, :attempt),
           vendor = coalesce(:vendor, vendor),
           vendor_message_id = coalesce(:vendorMessageId, vendor_message_id),
           carrier = coalesce(:carrier, carrier),
           error_code = CASE WHEN :clearError THEN NULL ELSE coalesce(:errorCode, error_code) END,
           error_message = CASE WHEN :clearError THEN NULL
                                WHEN :errorCode IS NULL THEN error_message ELSE :errorMessage END,
           updated_at = max(updated_at, :at)
         WHERE message_id = :messageId`,
      ),
      selectByVendorMessageId: db.prepare(
        `SELECT message_id, client_id, channel, lane, status, vendor_message_id FROM messages
         WHERE vendor = ? AND vendor_message_id = ?`,
      ),
      selectRequest: db.prepare(
        'SELECT request_id, client_id, lane, channel, accepted_at FROM requests WHERE request_id = ? AND client_id = ?',
      ),
      selectRequestMessages: db.prepare(
        `SELECT rm.message_index, rm.message_id, rm.duplicate, m.status, m.vendor, m.attempts,
           m.error_code, m.error_message
         FROM request_messages rm JOIN messages m ON m.message_id = rm.message_id
         WHERE rm.request_id = :requestId
         UNION ALL
         SELECT message_index, NULL, 0, NULL, NULL, 0, error_code, error_message
         FROM request_rejections WHERE request_id = :requestId
         ORDER BY 1`,
      ),
      selectMessage: db.prepare(
        `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE message_id = ? AND client_id = ?`,
      ),
      selectRequestDevices: db.prepare(
        `SELECT DISTINCT ${DEVICE_COLUMNS}
         FROM request_messages rm JOIN messages c ON c.parent_message_id = rm.message_id
         WHERE rm.request_id = ? ORDER BY c.parent_message_id, c.message_id`,
      ),
      selectDevices: db.prepare(
        `SELECT ${DEVICE_COLUMNS} FROM messages c WHERE c.parent_message_id = ? AND c.client_id = ?
         ORDER BY c.message_id`,
      ),
      claimPosition: db.prepare(
        `INSERT INTO history_log_positions (source, next_offset) VALUES (?, 0)
         ON CONFLICT (source) DO UPDATE SET source = excluded.source RETURNING next_offset`,
      ),
      storePosition: db.prepare('UPDATE history_log_positions SET next_offset = ? WHERE source = ?'),
      notePending: db.prepare(
        'INSERT INTO pending_folds (message_id, noted_at) VALUES (?, ?) ON CONFLICT DO NOTHING',
      ),
      hasPending: db.prepare('SELECT EXISTS (SELECT 1 FROM pending_folds) AS pending'),
      // A probe of messages per note: `message_id IN (SELECT message_id FROM messages)` walked the
      // whole messages index for every stretch a note waited in (SQLite without ANALYZE statistics
      // drives the IN from its list; 10.7 ms at 200,000 messages, against 0.02 ms so).
      takeReadyPending: db.prepare(
        `DELETE FROM pending_folds
         WHERE EXISTS (SELECT 1 FROM messages m WHERE m.message_id = pending_folds.message_id)
         RETURNING message_id`,
      ),
      dropStalePending: db.prepare('DELETE FROM pending_folds WHERE noted_at < ?'),
      selectEvents: db.prepare(
        `SELECT message_id, status, at, vendor, attempt, latency_ms, error_code, error_message,
           dedup_fail_open, request_id, vendor_message_id, carrier, result_code
         FROM message_events WHERE message_id = ? ORDER BY seq`,
      ),
    };
  }

  async recordAccepted(request: AcceptedRequest): Promise<void> {
    guardStore('recordAccepted', () => inTransaction(this.#db, () => this.#insertAccepted(request)));
  }

  async appendEvents(events: readonly MessageEvent[]): Promise<void> {
    if (events.length === 0) return;
    guardStore('appendEvents', () =>
      inTransaction(this.#db, () => {
        for (const event of events) this.#applyEvent(event);
      }),
    );
  }

  async recordExpanded(expansions: readonly UserPushExpansion[]): Promise<void> {
    if (expansions.length === 0) return;
    guardStore('recordExpanded', () =>
      inTransaction(this.#db, () => {
        for (const expansion of expansions) this.#insertExpanded(expansion);
      }),
    );
  }

  async applyLog(batch: HistoryLogBatch): Promise<void> {
    if (batch.changes.length === 0) return;
    guardStore('applyLog', () =>
      inTransaction(this.#db, () => {
        const stored = this.#sql.claimPosition.get(batch.source) as { next_offset: number };
        const plan = planLogBatch(batch, stored.next_offset);
        if (plan.nextOffset === stored.next_offset) return;
        // Read before the stretch's events can note any: as PostgreSQL reads it with the position.
        const { pending } = this.#sql.hasPending.get() as { pending: number };
        for (const request of plan.requests) this.#insertAccepted(request);
        for (const expansion of plan.expansions) this.#insertExpanded(expansion);
        if (pending) this.#foldReady();
        for (const event of plan.events) this.#applyEvent(event);
        this.#sql.storePosition.run(plan.nextOffset, batch.source);
      }),
    );
  }

  async findByVendorMessageIds(
    vendor: string,
    vendorMessageIds: readonly string[],
  ): Promise<Map<string, VendorMessageRef>> {
    return guardStore('findByVendorMessageIds', () => {
      const found = new Map<string, VendorMessageRef>();
      for (const id of new Set(vendorMessageIds)) {
        const row = this.#sql.selectByVendorMessageId.get(vendor, id) as VendorMessageRow | undefined;
        if (row !== undefined) found.set(id, toVendorMessageRef(row));
      }
      return found;
    });
  }

  async getRequest(clientId: string, requestId: string): Promise<RequestView | undefined> {
    return guardStore('getRequest', () => {
      const request = this.#sql.selectRequest.get(requestId, clientId) as
        | { request_id: string; client_id: string; lane: string; channel: string; accepted_at: number }
        | undefined;
      if (request === undefined) return undefined;
      const rows = this.#sql.selectRequestMessages.all({ requestId }) as unknown as RequestMessageRow[];
      const devices = this.#sql.selectRequestDevices.all(requestId) as unknown as DeviceMessageRow[];
      return {
        requestId: request.request_id,
        clientId: request.client_id,
        channel: request.channel as Channel,
        lane: request.lane as Lane,
        acceptedAt: request.accepted_at,
        messages: withDevices(rows.map(toRequestMessageView), devices),
      };
    });
  }

  async getMessage(clientId: string, messageId: string): Promise<MessageView | undefined> {
    return guardStore('getMessage', () => {
      const row = this.#sql.selectMessage.get(messageId, clientId) as MessageRow | undefined;
      if (row === undefined) return undefined;
      const events = this.#sql.selectEvents.all(messageId) as unknown as EventRow[];
      const devices = this.#sql.selectDevices.all(messageId, clientId) as unknown as DeviceMessageRow[];
      return toMessageView(row, events.map(toMessageEvent), devices);
    });
  }

  async healthy(): Promise<boolean> {
    return answers(this.#db);
  }

  async close(): Promise<void> {
    if (this.#db.isOpen) this.#db.close();
  }

  #insertAccepted(request: AcceptedRequest): void {
    const { requestId, clientId, lane, channel } = request;
    // Epoch ms columns are STRICT INTEGER: a fractional time would fail the whole batch.
    const acceptedAt = Math.trunc(request.acceptedAt);
    this.#sql.insertRequest.run(requestId, clientId, lane, channel, acceptedAt);
    for (const message of request.messages) {
      const inserted = this.#sql.insertMessage.run(
        message.messageId,
        requestId,
        clientId,
        message.key,
        message.channel,
        lane,
        message.recipientMasked,
        message.recipientHash,
        acceptedAt,
        acceptedAt,
      );
      // Only a newly inserted message gets its `accepted` event: a retried batch adds nothing.
      if (inserted.changes > 0) {
        this.#sql.insertEvent.run(
          ...eventParams({ messageId: message.messageId, status: 'accepted', at: acceptedAt }),
        );
      }
      this.#sql.insertRequestMessage.run(requestId, message.index, message.messageId, 0);
    }
    for (const duplicate of request.duplicates) {
      this.#sql.insertRequestMessage.run(requestId, duplicate.index, duplicate.messageId, 1);
    }
    for (const { index, error } of request.rejected ?? []) {
      this.#sql.insertRejection.run(requestId, index, error.code, error.message);
    }
  }

  /** Children already recorded (a redelivered parent) are left alone and get no second event. */
  #insertExpanded(expansion: UserPushExpansion): void {
    const createdAt = Math.trunc(expansion.createdAt);
    const at = Math.trunc(expansion.at);
    for (const child of expansion.children) {
      const inserted = this.#sql.insertChild.run(
        child.messageId,
        expansion.requestId,
        expansion.clientId,
        child.key,
        expansion.channel ?? 'push',
        expansion.lane,
        child.recipientMasked,
        child.recipientHash,
        createdAt,
        at,
        expansion.parentMessageId,
      );
      if (inserted.changes > 0) {
        this.#sql.insertEvent.run(...eventParams({ messageId: child.messageId, status: 'accepted', at }));
      }
    }
  }

  /**
   * The events of messages created since they came (pending folds), moved onto their rows in the
   * order they were written; then the notes older than PENDING_FOLD_MS whose message never came go.
   */
  #foldReady(): void {
    const ready = this.#sql.takeReadyPending.all() as { message_id: string }[];
    for (const { message_id } of ready) {
      const rows = this.#sql.selectEvents.all(message_id) as unknown as EventRow[];
      for (const row of rows) if (row.status !== 'accepted') this.#moveRow(toMessageEvent(row));
    }
    this.#sql.dropStalePending.run(Date.now() - PENDING_FOLD_MS);
  }

  /**
   * The event is always recorded; the message row moves only while it is not terminal (canMove).
   * An event of a message not created yet notes a pending fold (history-log-plan.ts).
   */
  #applyEvent(event: MessageEvent): void {
    this.#sql.insertEvent.run(...eventParams(event));
    if (!this.#moveRow(event)) this.#sql.notePending.run(event.messageId, Date.now());
  }

  /** Moves the message's row by the event if it may; false when the message has no row. */
  #moveRow(event: MessageEvent): boolean {
    // A `duplicate` carrying a requestId is a later request repeating this message: part of its
    // history, not a change of its state (the message itself is still on its way or sent).
    if (event.status === 'duplicate' && event.requestId !== undefined) return true;
    const row = this.#sql.selectStatus.get(event.messageId) as { status: MessageStatus } | undefined;
    if (row === undefined) return false;
    if (!canMove(row.status, event.status)) return true;
    this.#sql.updateMessage.run({
      messageId: event.messageId,
      status: event.status,
      attempt: event.attempt ?? 0,
      vendor: event.vendor ?? null,
      vendorMessageId: event.vendorMessageId ?? null,
      carrier: event.carrier ?? null,
      clearError: event.status === 'sent' ? 1 : 0,
      errorCode: event.errorCode ?? null,
      errorMessage: event.errorMessage ?? '',
      at: Math.trunc(event.at),
    });
    return true;
  }
}
