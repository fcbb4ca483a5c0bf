import type { Pool } from 'pg';
import { planKeyPut } from '../../core/auth/plan-key-put.ts';
import type { Channel } from '../../core/domain/channel.ts';
import { HeraldError } from '../../core/domain/errors.ts';
import type { RemoteConfig, RemoteConfigDocument } from '../../core/domain/remote-config.ts';
import type { ApiKeyRecord, ConfigStore, PutApiKeyResult } from '../../ports/config-store.ts';
import type { ApiKeyRow, RemoteConfigRow } from './config-schema.ts';
import { CONFIG_MIGRATIONS, toApiKeyRecord, toRemoteConfig } from './config-schema.ts';
import { runMigrations } from './migrations.ts';
import type { PostgresConnection, PostgresConnectionOptions } from './pg-connection.ts';
import {
  createClient,
  createPool,
  isPoolHealthy,
  quoteIdentifier,
  resolveConnection,
} from './pg-connection.ts';
import { guardPostgres } from './pg-failure.ts';
import { inTransaction } from './pg-transaction.ts';
import { RemoteConfigWatcher } from './remote-config-watcher.ts';
import { StartOnce } from './start-once.ts';

export interface PostgresConfigStoreOptions extends PostgresConnectionOptions {
  /** Safety net beside LISTEN/NOTIFY: watchers re-read versions this often. Default 5 s. */
  readonly watchPollIntervalMs?: number;
}

/** The database clock at millisecond precision (what a JS Date keeps), so a write reads back equal. */
const NOW = "date_trunc('milliseconds', clock_timestamp())";
const CONFIG_COLUMNS = 'version, document, updated_at';
const API_KEY_COLUMNS = 'key_id, client_id, role, name, created_at, revoked_at';

/**
 * The production config store. Remote config versions are written one at a time (a table lock
 * serialises writers; readers never wait) with a NOTIFY in the same transaction, which every
 * process's watcher turns into a read of the new version within a second.
 */
export class PostgresConfigStore implements ConfigStore {
  readonly #pool: Pool;
  readonly #connection: PostgresConnection;
  readonly #table: (name: string) => string;
  readonly #channel: string;
  readonly #start: StartOnce;
  readonly #watcher: RemoteConfigWatcher;
  #closed = false;

  constructor(options: PostgresConfigStoreOptions) {
    const connection = resolveConnection(options);
    this.#connection = connection;
    this.#pool = createPool(connection);
    this.#table = (name) => `${quoteIdentifier(connection.schema)}.${name}`;
    // Notifications are database-wide: the schema in the name keeps deployments (and tests) apart.
    this.#channel = `herald_config_${connection.schema}`;
    this.#start = new StartOnce(() => runMigrations(this.#pool, connection.schema, CONFIG_MIGRATIONS));
    this.#watcher = new RemoteConfigWatcher({
      newClient: () => createClient(connection),
      channel: this.#channel,
      readLatestVersion: async () => (await this.#latestConfig())?.version ?? 0,
      readNewerThan: (version) => this.#configsAfter(version),
      pollIntervalMs: options.watchPollIntervalMs ?? 5_000,
      onError: connection.onBackgroundError,
    });
  }

  /** Runs the migrations now (otherwise the first call does). */
  async ready(): Promise<void> {
    await guardPostgres('start', () => this.#start.run());
  }

  async getRemoteConfig(): Promise<RemoteConfig | undefined> {
    return guardPostgres('getRemoteConfig', async () => {
      const config = await this.#latestConfig();
      if (config) this.#watcher.noteVersion(config.version);
      return config;
    });
  }

  /** `expectedVersion` 0 means "nothing stored yet". */
  async putRemoteConfig(document: RemoteConfigDocument, expectedVersion?: number): Promise<RemoteConfig> {
    return guardPostgres('putRemoteConfig', async () => {
      await this.#start.run();
      await this.#watchersReady();
      const stored = await inTransaction(this.#pool, async (client) => {
        await client.query(`LOCK TABLE ${this.#table('remote_config')} IN SHARE ROW EXCLUSIVE MODE`);
        const { rows } = await client.query<{ version: number }>(
          `SELECT coalesce(max(version), 0) AS version FROM ${this.#table('remote_config')}`,
        );
        const current = rows[0]!.version;
        if (expectedVersion !== undefined && expectedVersion !== current) {
          throw new HeraldError(
            'HERALD_CONFIG_CONFLICT',
            `remote config is at version ${current}, not the expected ${expectedVersion}`,
          );
        }
        const inserted = await client.query<RemoteConfigRow>(
          `WITH stored AS (
             INSERT INTO ${this.#table('remote_config')} (version, document, updated_at)
             VALUES ($1, $2::jsonb, ${NOW}) RETURNING ${CONFIG_COLUMNS}
           )
           SELECT ${CONFIG_COLUMNS}, pg_notify($3, version::text) FROM stored`,
          [current + 1, JSON.stringify(document), this.#channel],
        );
        return toRemoteConfig(inserted.rows[0]!);
      });
      this.#watcher.noteVersion(stored.version);
      return stored;
    });
  }

  watchRemoteConfig(onChange: (config: RemoteConfig) => void): () => void {
    // A watch would open a listening session of its own, which nothing would ever close.
    if (this.#closed)
      throw new HeraldError('HERALD_UNAVAILABLE', 'the config store is closed', { retryable: true });
    return this.#watcher.subscribe(onChange);
  }

  async createApiKey(
    record: Omit<ApiKeyRecord, 'createdAt' | 'revokedAt'>,
    keyHash: string,
  ): Promise<ApiKeyRecord> {
    const created = await this.#oneOrNone('createApiKey', toApiKeyRecord, () =>
      this.#pool.query<ApiKeyRow>(
        `INSERT INTO ${this.#table('api_keys')} (key_id, key_hash, client_id, role, name, created_at)
         VALUES ($1, $2, $3, $4, $5, ${NOW}) ON CONFLICT DO NOTHING RETURNING ${API_KEY_COLUMNS}`,
        [record.keyId, keyHash, record.clientId, record.role, record.name],
      ),
    );
    // Ids and hashes come from random keys: a clash is a bug, never a user's mistake.
    if (created === undefined) {
      throw new HeraldError(
        'HERALD_INTERNAL',
        `an API key with id ${record.keyId} or the same hash already exists`,
      );
    }
    return created;
  }

  async findApiKeyByHash(keyHash: string): Promise<ApiKeyRecord | undefined> {
    return this.#oneOrNone('findApiKeyByHash', toApiKeyRecord, () =>
      this.#pool.query<ApiKeyRow>(
        `SELECT ${API_KEY_COLUMNS} FROM ${this.#table('api_keys')} WHERE key_hash = $1`,
        [keyHash],
      ),
    );
  }

  async findApiKeyById(keyId: string): Promise<ApiKeyRecord | undefined> {
    return this.#oneOrNone('findApiKeyById', toApiKeyRecord, () =>
      this.#pool.query<ApiKeyRow>(
        `SELECT ${API_KEY_COLUMNS} FROM ${this.#table('api_keys')} WHERE key_id = $1`,
        [keyId],
      ),
    );
  }

  /**
   * The rows read are locked (FOR UPDATE), so two processes rotating the key at once apply one
   * after the other; two storing it for the first time meet in the upsert.
   */
  async putApiKey(
    record: Omit<ApiKeyRecord, 'createdAt' | 'revokedAt'>,
    keyHash: string,
  ): Promise<PutApiKeyResult> {
    const table = this.#table('api_keys');
    return this.#run('putApiKey', () =>
      inTransaction(this.#pool, async (client): Promise<PutApiKeyResult> => {
        const { rows } = await client.query<ApiKeyRow & { key_hash: string }>(
          `SELECT ${API_KEY_COLUMNS}, key_hash FROM ${table} WHERE key_id = $1 OR key_hash = $2 FOR UPDATE`,
          [record.keyId, keyHash],
        );
        const current = rows.find((row) => row.key_id === record.keyId);
        const holder = rows.find((row) => row.key_hash === keyHash)?.key_id;
        const step = planKeyPut(record.keyId, holder, current !== undefined);
        if (step.kind === 'taken') return { outcome: 'taken', byKeyId: step.byKeyId };
        if (step.kind === 'unchanged') return { outcome: 'unchanged', record: toApiKeyRecord(current!) };
        const stored = await client.query<ApiKeyRow>(
          `INSERT INTO ${table} (key_id, key_hash, client_id, role, name, created_at)
           VALUES ($1, $2, $3, $4, $5, ${NOW})
           ON CONFLICT (key_id) DO UPDATE SET key_hash = excluded.key_hash, client_id = excluded.client_id,
             role = excluded.role, name = excluded.name, created_at = excluded.created_at, revoked_at = NULL
           RETURNING ${API_KEY_COLUMNS}`,
          [record.keyId, keyHash, record.clientId, record.role, record.name],
        );
        return { outcome: step.outcome, record: toApiKeyRecord(stored.rows[0]!) };
      }),
    );
  }

  async listApiKeys(): Promise<ApiKeyRecord[]> {
    const { rows } = await this.#run('listApiKeys', () =>
      this.#pool.query<ApiKeyRow>(
        `SELECT ${API_KEY_COLUMNS} FROM ${this.#table('api_keys')} ORDER BY created_at, key_id`,
      ),
    );
    return rows.map(toApiKeyRecord);
  }

  /** Revoking twice keeps the first revocation time; an unknown id is HERALD_NOT_FOUND. */
  async revokeApiKey(keyId: string): Promise<void> {
    const found = await this.#oneOrNone(
      'revokeApiKey',
      (row: { found: boolean }) => row.found,
      () =>
        this.#pool.query<{ found: boolean }>(
          `WITH revoked AS (
           UPDATE ${this.#table('api_keys')} SET revoked_at = ${NOW} WHERE key_id = $1 AND revoked_at IS NULL
         )
         SELECT EXISTS (SELECT 1 FROM ${this.#table('api_keys')} WHERE key_id = $1) AS found`,
          [keyId],
        ),
    );
    if (!found) throw new HeraldError('HERALD_NOT_FOUND', `no API key ${keyId}`);
  }

  async addOptOut(clientId: string, channel: Channel, recipientHash: string): Promise<void> {
    await this.#run('addOptOut', () =>
      this.#pool.query(
        `INSERT INTO ${this.#table('ad_opt_outs')} (client_id, channel, recipient_hash) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING`,
        [clientId, channel, recipientHash],
      ),
    );
  }

  async removeOptOut(clientId: string, channel: Channel, recipientHash: string): Promise<void> {
    await this.#run('removeOptOut', () =>
      this.#pool.query(
        `DELETE FROM ${this.#table('ad_opt_outs')} WHERE client_id = $1 AND channel = $2 AND recipient_hash = $3`,
        [clientId, channel, recipientHash],
      ),
    );
  }

  /** The hashes travel as one array parameter: one statement for any number of recipients. */
  async findOptOuts(
    clientId: string,
    channel: Channel,
    recipientHashes: readonly string[],
  ): Promise<Set<string>> {
    if (recipientHashes.length === 0) return new Set();
    const { rows } = await this.#run('findOptOuts', () =>
      this.#pool.query<{ recipient_hash: string }>(
        `SELECT recipient_hash FROM ${this.#table('ad_opt_outs')}
         WHERE client_id = $1 AND channel = $2 AND recipient_hash = ANY ($3::text[])`,
        [clientId, channel, [...recipientHashes]],
      ),
    );
    return new Set(rows.map((row) => row.recipient_hash));
  }

  healthy(): Promise<boolean> {
    return isPoolHealthy(this.#pool);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#watcher.stop();
    if (!this.#pool.ended) await this.#pool.end();
  }

  /**
   * A put waits (bounded) until this store's watchers listen: a subscriber that subscribed just
   * before must see the version this put stores, and a NOTIFY sent before LISTEN reaches nobody.
   */
  async #watchersReady(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.#connection.connectTimeoutMs);
    });
    await Promise.race([this.#watcher.settled(), timeout]).finally(() => clearTimeout(timer));
  }

  async #latestConfig(): Promise<RemoteConfig | undefined> {
    await this.#start.run();
    const { rows } = await this.#pool.query<RemoteConfigRow>(
      `SELECT ${CONFIG_COLUMNS} FROM ${this.#table('remote_config')} ORDER BY version DESC LIMIT 1`,
    );
    return rows[0] === undefined ? undefined : toRemoteConfig(rows[0]);
  }

  async #configsAfter(version: number): Promise<RemoteConfig[]> {
    await this.#start.run();
    const { rows } = await this.#pool.query<RemoteConfigRow>(
      `SELECT ${CONFIG_COLUMNS} FROM ${this.#table('remote_config')} WHERE version > $1 ORDER BY version`,
      [version],
    );
    return rows.map(toRemoteConfig);
  }

  /** Every call: set the schema up on first use, and map any driver failure to HERALD_UNAVAILABLE. */
  async #run<T>(operation: string, query: () => Promise<T>): Promise<T> {
    return guardPostgres(operation, async () => {
      await this.#start.run();
      return query();
    });
  }

  async #oneOrNone<R, T>(
    operation: string,
    map: (row: R) => T,
    query: () => Promise<{ rows: R[] }>,
  ): Promise<T | undefined> {
    const row = (await this.#run(operation, query)).rows[0];
    return row === undefined ? undefined : map(row);
  }
}
