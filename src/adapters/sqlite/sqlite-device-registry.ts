import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { maskRecipient } from '../../core/identity/recipient-privacy.ts';
import type {
  DeviceRegistration,
  DeviceRegistry,
  DeviceView,
  LiveDevice,
} from '../../ports/device-registry.ts';
import type { DeviceRow, LiveDeviceRow } from '../device-rows.ts';
import {
  DEVICE_VIEW_COLUMNS,
  groupLiveDevices,
  LIVE_DEVICE_COLUMNS,
  toDeviceView,
  uniqueDeaths,
} from '../device-rows.ts';
import { inTransaction } from './in-transaction.ts';
import { answers, openDatabase } from './open-database.ts';
import { guardStore } from './store-failure.ts';

export interface SqliteDeviceRegistryOptions {
  readonly path: string;
}

/**
 * One row per client and token hash (the primary key, so a token is looked up without being
 * compared in clear), and an index per client and user for the fan-out. Rows are small (a token
 * is at most a few hundred bytes), hence WITHOUT ROWID.
 */
const DEVICE_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE devices (
    client_id TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    token TEXT NOT NULL,
    token_masked TEXT NOT NULL,
    provider TEXT NOT NULL CHECK (provider IN ('fcm', 'apns')),
    platform TEXT NOT NULL CHECK (platform IN ('android', 'ios', 'web')),
    app TEXT NOT NULL,
    user_id TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    dead_at INTEGER,
    dead_reason TEXT,
    PRIMARY KEY (client_id, token_hash)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX devices_by_user ON devices (client_id, user_id);
  `,
];

/**
 * The embedded device registry: its own SQLite file, every write one IMMEDIATE transaction, so API
 * processes and workers sharing the data directory see one registry. The file holds tokens in
 * clear (they are needed to send), so freed pages are zeroed (secure_delete) when a device goes.
 */
export class SqliteDeviceRegistry implements DeviceRegistry {
  readonly #db: DatabaseSync;
  readonly #sql: Record<'exists' | 'upsert' | 'remove' | 'list' | 'live' | 'markDead', StatementSync>;

  constructor(options: SqliteDeviceRegistryOptions) {
    const db = openDatabase({
      path: options.path,
      component: 'devices',
      migrations: DEVICE_MIGRATIONS,
      secureDelete: true,
    });
    this.#db = db;
    this.#sql = {
      exists: db.prepare('SELECT 1 AS found FROM devices WHERE client_id = ? AND token_hash = ?'),
      upsert: db.prepare(
        `INSERT INTO devices (client_id, token_hash, token, token_masked, provider, platform, app, user_id,
           created_at, updated_at, dead_at, dead_reason)
         VALUES (:clientId, :tokenHash, :token, :tokenMasked, :provider, :platform, :app, :userId,
           :now, :now, NULL, NULL)
         ON CONFLICT (client_id, token_hash) DO UPDATE SET token = excluded.token,
           token_masked = excluded.token_masked, provider = excluded.provider, platform = excluded.platform,
           app = excluded.app, user_id = excluded.user_id, updated_at = excluded.updated_at,
           dead_at = NULL, dead_reason = NULL
         RETURNING ${DEVICE_VIEW_COLUMNS}`,
      ),
      remove: db.prepare('DELETE FROM devices WHERE client_id = ? AND token_hash = ?'),
      list: db.prepare(
        `SELECT ${DEVICE_VIEW_COLUMNS} FROM devices WHERE client_id = ? AND user_id = ?
         ORDER BY created_at, token_hash`,
      ),
      // One statement for the whole batch: the user ids travel as one JSON array.
      live: db.prepare(
        `SELECT ${LIVE_DEVICE_COLUMNS} FROM devices
         WHERE client_id = ? AND user_id IN (SELECT value FROM json_each(?)) AND dead_at IS NULL
         ORDER BY created_at, token_hash`,
      ),
      markDead: db.prepare(
        `UPDATE devices SET dead_at = :at, dead_reason = :reason
         WHERE client_id = :clientId AND token_hash = :tokenHash AND dead_at IS NULL AND updated_at <= :at`,
      ),
    };
  }

  async put(
    device: DeviceRegistration,
    now: number,
  ): Promise<{ outcome: 'created' | 'updated'; device: DeviceView }> {
    return guardStore('put', () =>
      inTransaction(this.#db, () => {
        const existed = this.#sql.exists.get(device.clientId, device.tokenHash) !== undefined;
        const row = this.#sql.upsert.get({
          clientId: device.clientId,
          tokenHash: device.tokenHash,
          token: device.token,
          tokenMasked: maskRecipient('push', device.token),
          provider: device.provider,
          platform: device.platform,
          app: device.app,
          userId: device.userId ?? null,
          now,
        }) as unknown as DeviceRow;
        return { outcome: existed ? 'updated' : 'created', device: toDeviceView(row) };
      }),
    );
  }

  async remove(clientId: string, tokenHash: string): Promise<boolean> {
    return guardStore('remove', () => Number(this.#sql.remove.run(clientId, tokenHash).changes) > 0);
  }

  async listForUser(clientId: string, userId: string): Promise<DeviceView[]> {
    const rows = guardStore('listForUser', () => this.#sql.list.all(clientId, userId));
    return (rows as unknown as DeviceRow[]).map(toDeviceView);
  }

  async liveDevicesOf(clientId: string, userIds: readonly string[]): Promise<Map<string, LiveDevice[]>> {
    if (userIds.length === 0) return new Map();
    const rows = guardStore('liveDevicesOf', () => this.#sql.live.all(clientId, JSON.stringify(userIds)));
    return groupLiveDevices(userIds, rows as unknown as LiveDeviceRow[]);
  }

  async markDead(
    clientId: string,
    deaths: readonly { readonly tokenHash: string; readonly reason: string }[],
    at: number,
  ): Promise<void> {
    if (deaths.length === 0) return;
    guardStore('markDead', () =>
      inTransaction(this.#db, () => {
        for (const { tokenHash, reason } of uniqueDeaths(deaths)) {
          this.#sql.markDead.run({ clientId, tokenHash, reason, at });
        }
      }),
    );
  }

  async healthy(): Promise<boolean> {
    return answers(this.#db);
  }

  async close(): Promise<void> {
    if (this.#db.isOpen) this.#db.close();
  }
}
