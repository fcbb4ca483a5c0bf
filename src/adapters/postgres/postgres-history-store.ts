import type { Pool, PoolClient } from 'pg';
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
import { toVendorMessageRef, type VendorMessageRow } from '../history-views.ts';
import { foldEvents } from './event-fold.ts';
import type { PartitionPeriod } from './history-partitions.ts';
import { HistoryPartitions } from './history-partitions.ts';
import type {
  DeviceMessageRow,
  EventRow,
  MessageRow,
  RequestMessageRow,
  RequestRow,
} from './history-rows.ts';
import { toMessageEvent, toMessageView, toRequestView } from './history-rows.ts';
import { HISTORY_MIGRATIONS } from './history-schema.ts';
import type { HistorySql } from './history-sql.ts';
import { acceptedParams, eventParams, expandedParams, historySql } from './history-sql.ts';
import { runMigrations } from './migrations.ts';
import type { PostgresConnectionOptions } from './pg-connection.ts';
import { createPool, isPoolHealthy, resolveConnection } from './pg-connection.ts';
import { guardPostgres } from './pg-failure.ts';
import { inTransaction } from './pg-transaction.ts';
import { StartOnce } from './start-once.ts';

export interface PostgresHistoryStoreOptions extends PostgresConnectionOptions {
  /** Partition size; default month. See history-partitions.ts. */
  readonly partitionPeriod?: PartitionPeriod;
}

const PARTITION_UPKEEP_MS = 3_600_000;

/**
 * The production history store. Every write is one statement for the whole batch (arrays expanded
 * by unnest), atomic on its own, and idempotent where a retry is likely: recordAccepted after a
 * timeout adds nothing the second time.
 *
 * When PostgreSQL is unreachable every call fails within the connect timeout with
 * HERALD_UNAVAILABLE (retryable); the pool reconnects on the next call once it is back, and the
 * schema set-up runs on first use, so a store created during an outage starts working by itself.
 */
export class PostgresHistoryStore implements HistoryStore {
  readonly #pool: Pool;
  readonly #sql: HistorySql;
  readonly #partitions: HistoryPartitions;
  readonly #start: StartOnce;
  readonly #upkeep: NodeJS.Timeout;

  constructor(options: PostgresHistoryStoreOptions) {
    const connection = resolveConnection(options);
    this.#pool = createPool(connection);
    this.#sql = historySql(connection.schema);
    this.#partitions = new HistoryPartitions(
      this.#pool,
      connection.schema,
      options.partitionPeriod ?? 'month',
    );
    this.#start = new StartOnce(async () => {
      await runMigrations(this.#pool, connection.schema, HISTORY_MIGRATIONS);
      await this.#partitions.prepareAhead();
    });
    // Partitions for the coming periods, made long before a write needs them.
    this.#upkeep = setInterval(() => {
      this.#start
        .run()
        .then(() => this.#partitions.prepareAhead())
        .catch(connection.onBackgroundError);
    }, PARTITION_UPKEEP_MS);
    this.#upkeep.unref();
  }

  /** Runs the migrations and prepares partitions now (otherwise the first call does). */
  async ready(): Promise<void> {
    await guardPostgres('start', () => this.#start.run());
  }

  async recordAccepted(request: AcceptedRequest): Promise<void> {
    await guardPostgres('recordAccepted', async () => {
      const params = acceptedParams([request]);
      await this.#start.run();
      await this.#partitions.ensureFor([request.acceptedAt]);
      await this.#pool.query(this.#sql.recordAccepted, params);
    });
  }

  /**
   * The receipts worker's own writes (delivered, undelivered), outside the history log: in a
   * transaction of their own so that they run with the stretches' planner settings
   * (stretchSettings), which are sent with BEGIN.
   */
  async appendEvents(events: readonly MessageEvent[]): Promise<void> {
    if (events.length === 0) return;
    await guardPostgres('appendEvents', async () => {
      const params = eventParams(events, foldEvents(events));
      await this.#start.run();
      await this.#partitions.ensureFor(events.map((event) => event.at));
      await inTransaction(this.#pool, (client) => client.query(this.#sql.appendEvents, params), {
        opening: () => this.#sql.stretchSettings,
      });
    });
  }

  async recordExpanded(expansions: readonly UserPushExpansion[]): Promise<void> {
    if (expansions.every((expansion) => expansion.children.length === 0)) return;
    await guardPostgres('recordExpanded', async () => {
      const params = expandedParams(expansions);
      await this.#start.run();
      await this.#partitions.ensureFor(expansions.flatMap((e) => [e.createdAt, e.at]));
      await this.#pool.query(this.#sql.recordExpanded, params);
    });
  }

  async applyLog(batch: HistoryLogBatch): Promise<void> {
    if (batch.changes.length === 0) return;
    await guardPostgres('applyLog', async () => {
      await this.#start.run();
      const changes = planLogBatch(batch, 0);
      await this.#partitions.ensureFor([
        ...changes.requests.map((request) => request.acceptedAt),
        ...changes.expansions.flatMap((e) => [e.createdAt, e.at]),
        ...changes.events.map((event) => event.at),
      ]);
      // One round trip for BEGIN and the position, one per kind of change, one for the new
      // position and COMMIT.
      await inTransaction(
        this.#pool,
        async (client, opened) => {
          const position = opened!.rows[0] as { next_offset: string; pending: boolean };
          const stored = Number(position.next_offset);
          const plan = planLogBatch(batch, stored);
          if (plan.nextOffset === stored) return stored;
          if (plan.requests.length > 0) {
            await client.query(this.#sql.recordAccepted, acceptedParams(plan.requests));
          }
          if (plan.expansions.some((expansion) => expansion.children.length > 0)) {
            await client.query(this.#sql.recordExpanded, expandedParams(plan.expansions));
          }
          if (position.pending) await this.#foldReady(client);
          if (plan.events.length > 0) {
            await client.query(this.#sql.appendEvents, eventParams(plan.events, foldEvents(plan.events)));
          }
          return plan.nextOffset;
        },
        {
          // The position's row is the first result after BEGIN; the settings follow it.
          opening: (client) =>
            `${this.#sql.claimPosition(client.escapeLiteral(batch.source))}; ${this.#sql.stretchSettings}`,
          closing: (client, nextOffset) =>
            this.#sql.storePosition(client.escapeLiteral(batch.source), nextOffset),
        },
      );
    });
  }

  /**
   * The events of messages created since they came (pending folds), folded onto their rows now, in
   * the order they were written, before the stretch's own events.
   */
  async #foldReady(client: PoolClient): Promise<void> {
    const { rows } = await client.query<EventRow>(this.#sql.takeReadyFolds, [PENDING_FOLD_MS]);
    if (rows.length === 0) return;
    const events = rows.map(toMessageEvent);
    await client.query(this.#sql.appendEvents, eventParams([], foldEvents(events)));
  }

  async findByVendorMessageIds(
    vendor: string,
    vendorMessageIds: readonly string[],
  ): Promise<Map<string, VendorMessageRef>> {
    if (vendorMessageIds.length === 0) return new Map();
    return guardPostgres('findByVendorMessageIds', async () => {
      await this.#start.run();
      const { rows } = await this.#pool.query<VendorMessageRow>(this.#sql.findByVendorMessageIds, [
        vendor,
        [...new Set(vendorMessageIds)],
      ]);
      return new Map(rows.map((row) => [row.vendor_message_id, toVendorMessageRef(row)]));
    });
  }

  async getRequest(clientId: string, requestId: string): Promise<RequestView | undefined> {
    return guardPostgres('getRequest', async () => {
      await this.#start.run();
      const request = await this.#pool.query<RequestRow>(this.#sql.selectRequest, [requestId, clientId]);
      const row = request.rows[0];
      if (row === undefined) return undefined;
      const [messages, devices] = await Promise.all([
        this.#pool.query<RequestMessageRow>(this.#sql.selectRequestMessages, [requestId]),
        this.#pool.query<DeviceMessageRow>(this.#sql.selectRequestDevices, [requestId]),
      ]);
      return toRequestView(row, messages.rows, devices.rows);
    });
  }

  async getMessage(clientId: string, messageId: string): Promise<MessageView | undefined> {
    return guardPostgres('getMessage', async () => {
      await this.#start.run();
      const message = await this.#pool.query<MessageRow>(this.#sql.selectMessage, [messageId, clientId]);
      const row = message.rows[0];
      if (row === undefined) return undefined;
      const [events, devices] = await Promise.all([
        this.#pool.query<EventRow>(this.#sql.selectEvents, [messageId]),
        this.#pool.query<DeviceMessageRow>(this.#sql.selectDevices, [messageId, clientId]),
      ]);
      return toMessageView(row, events.rows, devices.rows);
    });
  }

  healthy(): Promise<boolean> {
    return isPoolHealthy(this.#pool);
  }

  async close(): Promise<void> {
    clearInterval(this.#upkeep);
    if (!this.#pool.ended) await this.#pool.end();
  }
}
