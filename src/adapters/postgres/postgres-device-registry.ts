import type { Pool } from 'pg';
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
import { DEVICE_MIGRATIONS } from './device-schema.ts';
import { runMigrations } from './migrations.ts';
import type { PostgresConnectionOptions } from './pg-connection.ts';
import { createPool, isPoolHealthy, quoteIdentifier, resolveConnection } from './pg-connection.ts';
import { guardPostgres } from './pg-failure.ts';
import { StartOnce } from './start-once.ts';

export type PostgresDeviceRegistryOptions = PostgresConnectionOptions;

/**
 * The production device registry, in herald's PostgreSQL schema, shared by every API process and
 * worker. Each call is one statement: a put is an upsert, a batch's fan-out one `= ANY` query, a
 * batch of deaths one UPDATE over `unnest`, so no call holds a transaction open across round trips.
 */
export class PostgresDeviceRegistry implements DeviceRegistry {
  readonly #pool: Pool;
  readonly #table: string;
  readonly #start: StartOnce;

  constructor(options: PostgresDeviceRegistryOptions) {
    const connection = resolveConnection(options);
    this.#pool = createPool(connection);
    this.#table = `${quoteIdentifier(connection.schema)}.devices`;
    this.#start = new StartOnce(() => runMigrations(this.#pool, connection.schema, DEVICE_MIGRATIONS));
  }

  async put(
    device: DeviceRegistration,
    now: number,
  ): Promise<{ outcome: 'created' | 'updated'; device: DeviceView }> {
    // `xmax = 0` holds for a row this statement inserted, not for one it updated: the one-statement
    // way to tell created from updated (a SELECT first would race with another process's put).
    const { rows } = await this.#run('put', () =>
      this.#pool.query<DeviceRow & { created: boolean }>(
        `INSERT INTO ${this.#table} AS d (client_id, token_hash, token, token_masked, provider, platform, app,
           user_id, created_at, updated_at, dead_at, dead_reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, NULL, NULL)
         ON CONFLICT (client_id, token_hash) DO UPDATE SET token = excluded.token,
           token_masked = excluded.token_masked, provider = excluded.provider, platform = excluded.platform,
           app = excluded.app, user_id = excluded.user_id, updated_at = excluded.updated_at,
           dead_at = NULL, dead_reason = NULL
         RETURNING (d.xmax = 0) AS created, ${DEVICE_VIEW_COLUMNS}`,
        [
          device.clientId,
          device.tokenHash,
          device.token,
          maskRecipient('push', device.token),
          device.provider,
          device.platform,
          device.app,
          device.userId ?? null,
          now,
        ],
      ),
    );
    const row = rows[0]!;
    return { outcome: row.created ? 'created' : 'updated', device: toDeviceView(row) };
  }

  async remove(clientId: string, tokenHash: string): Promise<boolean> {
    const { rowCount } = await this.#run('remove', () =>
      this.#pool.query(`DELETE FROM ${this.#table} WHERE client_id = $1 AND token_hash = $2`, [
        clientId,
        tokenHash,
      ]),
    );
    return (rowCount ?? 0) > 0;
  }

  async listForUser(clientId: string, userId: string): Promise<DeviceView[]> {
    const { rows } = await this.#run('listForUser', () =>
      this.#pool.query<DeviceRow>(
        `SELECT ${DEVICE_VIEW_COLUMNS} FROM ${this.#table} WHERE client_id = $1 AND user_id = $2
         ORDER BY created_at, token_hash`,
        [clientId, userId],
      ),
    );
    return rows.map(toDeviceView);
  }

  async liveDevicesOf(clientId: string, userIds: readonly string[]): Promise<Map<string, LiveDevice[]>> {
    if (userIds.length === 0) return new Map();
    const { rows } = await this.#run('liveDevicesOf', () =>
      this.#pool.query<LiveDeviceRow>(
        `SELECT ${LIVE_DEVICE_COLUMNS} FROM ${this.#table}
         WHERE client_id = $1 AND user_id = ANY($2::text[]) AND dead_at IS NULL
         ORDER BY created_at, token_hash`,
        [clientId, [...new Set(userIds)]],
      ),
    );
    return groupLiveDevices(userIds, rows);
  }

  async markDead(
    clientId: string,
    deaths: readonly { readonly tokenHash: string; readonly reason: string }[],
    at: number,
  ): Promise<void> {
    if (deaths.length === 0) return;
    const unique = uniqueDeaths(deaths);
    await this.#run('markDead', () =>
      this.#pool.query(
        `UPDATE ${this.#table} d SET dead_at = $3, dead_reason = r.reason
         FROM unnest($2::text[], $4::text[]) AS r (token_hash, reason)
         WHERE d.client_id = $1 AND d.token_hash = r.token_hash AND d.dead_at IS NULL AND d.updated_at <= $3`,
        [clientId, unique.map((d) => d.tokenHash), at, unique.map((d) => d.reason)],
      ),
    );
  }

  healthy(): Promise<boolean> {
    return isPoolHealthy(this.#pool);
  }

  async close(): Promise<void> {
    if (!this.#pool.ended) await this.#pool.end();
  }

  /** Every call: set the schema up on first use, and map any driver failure to HERALD_UNAVAILABLE. */
  #run<T>(operation: string, work: () => Promise<T>): Promise<T> {
    return guardPostgres(operation, async () => {
      await this.#start.run();
      return work();
    });
  }
}
