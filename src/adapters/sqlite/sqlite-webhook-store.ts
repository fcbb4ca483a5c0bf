import type { DatabaseSync, StatementSync } from 'node:sqlite';
import {
  type DeliveryHealth,
  foldDelivery,
  type StoredWebhook,
  type WebhookRegistration,
  type WebhookStore,
} from '../../ports/webhook-store.ts';
import { toStoredWebhook, WEBHOOK_COLUMNS, type WebhookRow, webhookValues } from '../webhook-rows.ts';
import { inTransaction } from './in-transaction.ts';
import { answers, openDatabase } from './open-database.ts';
import { guardStore } from './store-failure.ts';

export interface SqliteWebhookStoreOptions {
  readonly path: string;
}

/** One row per client: the registration (secrets sealed) and the receiver's health. */
const WEBHOOK_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE webhooks (
    client_id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    previous_secret TEXT,
    previous_until INTEGER,
    registered_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('active', 'paused')),
    failing_since INTEGER,
    paused_at INTEGER,
    last_error TEXT
  ) STRICT, WITHOUT ROWID;
  `,
];

/**
 * The embedded webhook store: its own SQLite file, shared by the API (registrations) and the
 * callbacks worker (health) through WAL; each read-modify-write is one IMMEDIATE transaction.
 */
export class SqliteWebhookStore implements WebhookStore {
  readonly #db: DatabaseSync;
  readonly #sql: Record<'get' | 'upsert' | 'remove', StatementSync>;

  constructor(options: SqliteWebhookStoreOptions) {
    const db = openDatabase({ path: options.path, component: 'webhooks', migrations: WEBHOOK_MIGRATIONS });
    this.#db = db;
    this.#sql = {
      get: db.prepare(`SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE client_id = ?`),
      upsert: db.prepare(
        `INSERT OR REPLACE INTO webhooks (${WEBHOOK_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      remove: db.prepare('DELETE FROM webhooks WHERE client_id = ?'),
    };
  }

  async get(clientId: string): Promise<StoredWebhook | undefined> {
    return guardStore('get webhook', () => this.#get(clientId));
  }

  async put(registration: WebhookRegistration, at: number): Promise<StoredWebhook> {
    return guardStore('put webhook', () =>
      inTransaction(this.#db, () => {
        const previous = this.#get(registration.clientId);
        const stored: StoredWebhook = {
          ...registration,
          registeredAt: previous?.registeredAt ?? at,
          updatedAt: at,
          state: 'active',
        };
        this.#sql.upsert.run(...webhookValues(stored));
        return stored;
      }),
    );
  }

  async remove(clientId: string): Promise<boolean> {
    return guardStore('remove webhook', () => Number(this.#sql.remove.run(clientId).changes) > 0);
  }

  async recordDelivery(clientId: string, health: DeliveryHealth): Promise<StoredWebhook | undefined> {
    return guardStore('record webhook delivery', () =>
      inTransaction(this.#db, () => {
        const current = this.#get(clientId);
        if (!current) return undefined;
        const next = foldDelivery(current, health);
        this.#sql.upsert.run(...webhookValues(next));
        return next;
      }),
    );
  }

  async resume(clientId: string, at: number): Promise<boolean> {
    return guardStore('resume webhook', () =>
      inTransaction(this.#db, () => {
        const current = this.#get(clientId);
        if (!current) return false;
        const { failingSince: _f, pausedAt: _p, ...rest } = current;
        this.#sql.upsert.run(...webhookValues({ ...rest, state: 'active', updatedAt: at }));
        return true;
      }),
    );
  }

  async healthy(): Promise<boolean> {
    return answers(this.#db);
  }

  async close(): Promise<void> {
    if (this.#db.isOpen) this.#db.close();
  }

  #get(clientId: string): StoredWebhook | undefined {
    const row = this.#sql.get.get(clientId) as WebhookRow | undefined;
    return row ? toStoredWebhook(row) : undefined;
  }
}
