import type { Pool, PoolClient } from 'pg';
import {
  type DeliveryHealth,
  foldDelivery,
  type StoredWebhook,
  type WebhookRegistration,
  type WebhookStore,
} from '../../ports/webhook-store.ts';
import { toStoredWebhook, WEBHOOK_COLUMNS, type WebhookRow, webhookValues } from '../webhook-rows.ts';
import { runMigrations } from './migrations.ts';
import type { PostgresConnectionOptions } from './pg-connection.ts';
import { createPool, isPoolHealthy, quoteIdentifier, resolveConnection } from './pg-connection.ts';
import { guardPostgres } from './pg-failure.ts';
import { inTransaction } from './pg-transaction.ts';
import { StartOnce } from './start-once.ts';
import { WEBHOOK_MIGRATIONS } from './webhook-schema.ts';

type Queryable = Pick<PoolClient, 'query'> | Pick<Pool, 'query'>;

const PLACEHOLDERS = Array.from({ length: 11 }, (_, i) => `$${i + 1}`).join(', ');

/**
 * The production webhook store, in herald's PostgreSQL schema, shared by API processes and
 * callbacks workers. Read-modify-writes lock the client's row (SELECT ... FOR UPDATE) so a worker's
 * health update and an API resume take turns.
 */
export class PostgresWebhookStore implements WebhookStore {
  readonly #pool: Pool;
  readonly #schema: string;
  readonly #start: StartOnce;

  constructor(options: PostgresConnectionOptions) {
    const connection = resolveConnection(options);
    this.#pool = createPool(connection);
    this.#schema = quoteIdentifier(connection.schema);
    this.#start = new StartOnce(() => runMigrations(this.#pool, connection.schema, WEBHOOK_MIGRATIONS));
  }

  get(clientId: string): Promise<StoredWebhook | undefined> {
    return this.#run('get webhook', () => this.#get(this.#pool, clientId, false));
  }

  put(registration: WebhookRegistration, at: number): Promise<StoredWebhook> {
    return this.#run('put webhook', () =>
      inTransaction(this.#pool, async (client) => {
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
          `herald:webhooks:${registration.clientId}`,
        ]);
        const previous = await this.#get(client, registration.clientId, true);
        const stored: StoredWebhook = {
          ...registration,
          registeredAt: previous?.registeredAt ?? at,
          updatedAt: at,
          state: 'active',
        };
        await this.#write(client, stored);
        return stored;
      }),
    );
  }

  remove(clientId: string): Promise<boolean> {
    return this.#run('remove webhook', async () => {
      const { rowCount } = await this.#pool.query(
        `DELETE FROM ${this.#schema}.webhooks WHERE client_id = $1`,
        [clientId],
      );
      return (rowCount ?? 0) > 0;
    });
  }

  recordDelivery(clientId: string, health: DeliveryHealth): Promise<StoredWebhook | undefined> {
    return this.#run('record webhook delivery', () =>
      inTransaction(this.#pool, async (client) => {
        const current = await this.#get(client, clientId, true);
        if (!current) return undefined;
        const next = foldDelivery(current, health);
        await this.#write(client, next);
        return next;
      }),
    );
  }

  resume(clientId: string, at: number): Promise<boolean> {
    return this.#run('resume webhook', () =>
      inTransaction(this.#pool, async (client) => {
        const current = await this.#get(client, clientId, true);
        if (!current) return false;
        const { failingSince: _f, pausedAt: _p, ...rest } = current;
        await this.#write(client, { ...rest, state: 'active', updatedAt: at });
        return true;
      }),
    );
  }

  healthy(): Promise<boolean> {
    return isPoolHealthy(this.#pool);
  }

  async close(): Promise<void> {
    if (!this.#pool.ended) await this.#pool.end();
  }

  async #get(db: Queryable, clientId: string, lock: boolean): Promise<StoredWebhook | undefined> {
    const { rows } = await db.query<WebhookRow>(
      `SELECT ${WEBHOOK_COLUMNS} FROM ${this.#schema}.webhooks WHERE client_id = $1${lock ? ' FOR UPDATE' : ''}`,
      [clientId],
    );
    return rows[0] ? toStoredWebhook(rows[0]) : undefined;
  }

  async #write(db: Queryable, webhook: StoredWebhook): Promise<void> {
    const updates = WEBHOOK_COLUMNS.split(', ')
      .slice(1)
      .map((column) => `${column} = excluded.${column}`)
      .join(', ');
    await db.query(
      `INSERT INTO ${this.#schema}.webhooks (${WEBHOOK_COLUMNS}) VALUES (${PLACEHOLDERS})
       ON CONFLICT (client_id) DO UPDATE SET ${updates}`,
      webhookValues(webhook),
    );
  }

  /** Every call: set the schema up on first use, and map any driver failure to HERALD_UNAVAILABLE. */
  #run<T>(operation: string, work: () => Promise<T>): Promise<T> {
    return guardPostgres(operation, async () => {
      await this.#start.run();
      return work();
    });
  }
}
