import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { planKeyPut } from '../../core/auth/plan-key-put.ts';
import type { Channel } from '../../core/domain/channel.ts';
import { HeraldError } from '../../core/domain/errors.ts';
import type { RemoteConfig, RemoteConfigDocument } from '../../core/domain/remote-config.ts';
import type { ApiKeyRecord, ConfigStore, PutApiKeyResult } from '../../ports/config-store.ts';
import type { ApiKeyRow, RemoteConfigRow } from './config-rows.ts';
import { CONFIG_MIGRATIONS, toApiKeyRecord, toRemoteConfig } from './config-rows.ts';
import { inTransaction } from './in-transaction.ts';
import { openDatabase } from './open-database.ts';
import type { BackgroundErrorHandler } from './store-failure.ts';
import { guardStore } from './store-failure.ts';
import { VersionWatcher } from './version-watcher.ts';

export interface SqliteConfigStoreOptions {
  readonly path: string;
  /** How often watchers re-read the file for versions stored by other processes. Default 250 ms. */
  readonly watchIntervalMs?: number;
  /** A failing watch poll or subscriber lands here; the watch keeps running. */
  readonly onBackgroundError?: BackgroundErrorHandler;
}

const DEFAULT_WATCH_INTERVAL_MS = 250;

/**
 * The embedded config store. Every remote config version is kept (an audit trail and a way back);
 * the highest version is the live one.
 */
export class SqliteConfigStore implements ConfigStore {
  readonly #db: DatabaseSync;
  readonly #watcher: VersionWatcher<RemoteConfig>;
  readonly #sql: Record<
    | 'latestConfig'
    | 'latestVersion'
    | 'configsAfter'
    | 'insertConfig'
    | 'insertApiKey'
    | 'selectApiKeyByHash'
    | 'selectApiKeyById'
    | 'upsertApiKey'
    | 'revokeApiKey'
    | 'selectApiKeyId'
    | 'selectApiKeys'
    | 'insertOptOut'
    | 'deleteOptOut'
    | 'selectOptOuts',
    StatementSync
  >;

  constructor(options: SqliteConfigStoreOptions) {
    const db = openDatabase({ path: options.path, component: 'config', migrations: CONFIG_MIGRATIONS });
    this.#db = db;
    this.#sql = {
      latestConfig: db.prepare(
        'SELECT version, document, updated_at FROM remote_config ORDER BY version DESC LIMIT 1',
      ),
      latestVersion: db.prepare('SELECT coalesce(max(version), 0) AS version FROM remote_config'),
      configsAfter: db.prepare(
        'SELECT version, document, updated_at FROM remote_config WHERE version > ? ORDER BY version',
      ),
      insertConfig: db.prepare('INSERT INTO remote_config (version, document, updated_at) VALUES (?, ?, ?)'),
      insertApiKey: db.prepare(
        `INSERT INTO api_keys (key_id, key_hash, client_id, role, name, created_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT DO NOTHING`,
      ),
      selectApiKeyByHash: db.prepare(
        'SELECT key_id, client_id, role, name, created_at, revoked_at FROM api_keys WHERE key_hash = ?',
      ),
      selectApiKeyById: db.prepare(
        'SELECT key_id, client_id, role, name, created_at, revoked_at FROM api_keys WHERE key_id = ?',
      ),
      upsertApiKey: db.prepare(
        `INSERT INTO api_keys (key_id, key_hash, client_id, role, name, created_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (key_id) DO UPDATE SET key_hash = excluded.key_hash, client_id = excluded.client_id,
           role = excluded.role, name = excluded.name, created_at = excluded.created_at, revoked_at = NULL`,
      ),
      revokeApiKey: db.prepare('UPDATE api_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL'),
      selectApiKeyId: db.prepare('SELECT key_id FROM api_keys WHERE key_id = ?'),
      selectApiKeys: db.prepare(
        'SELECT key_id, client_id, role, name, created_at, revoked_at FROM api_keys ORDER BY created_at, key_id',
      ),
      insertOptOut: db.prepare(
        `INSERT INTO ad_opt_outs (client_id, channel, recipient_hash, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT DO NOTHING`,
      ),
      deleteOptOut: db.prepare(
        'DELETE FROM ad_opt_outs WHERE client_id = ? AND channel = ? AND recipient_hash = ?',
      ),
      // The hashes travel as one JSON array: one statement for any number of recipients.
      selectOptOuts: db.prepare(
        `SELECT recipient_hash FROM ad_opt_outs WHERE client_id = ? AND channel = ?
           AND recipient_hash IN (SELECT value FROM json_each(?))`,
      ),
    };
    this.#watcher = new VersionWatcher({
      intervalMs: options.watchIntervalMs ?? DEFAULT_WATCH_INTERVAL_MS,
      readLatestVersion: () => (this.#sql.latestVersion.get() as { version: number }).version,
      readNewerThan: (version) =>
        (this.#sql.configsAfter.all(version) as unknown as RemoteConfigRow[]).map(toRemoteConfig),
      ...(options.onBackgroundError && { onError: options.onBackgroundError }),
    });
  }

  async getRemoteConfig(): Promise<RemoteConfig | undefined> {
    return guardStore('getRemoteConfig', () => {
      const row = this.#sql.latestConfig.get() as RemoteConfigRow | undefined;
      return row === undefined ? undefined : toRemoteConfig(row);
    });
  }

  /** `expectedVersion` 0 means "nothing stored yet". */
  async putRemoteConfig(document: RemoteConfigDocument, expectedVersion?: number): Promise<RemoteConfig> {
    const stored = guardStore('putRemoteConfig', () =>
      inTransaction(this.#db, () => {
        const current = (this.#sql.latestVersion.get() as { version: number }).version;
        if (expectedVersion !== undefined && expectedVersion !== current) {
          throw new HeraldError(
            'HERALD_CONFIG_CONFLICT',
            `remote config is at version ${current}, not the expected ${expectedVersion}`,
          );
        }
        const config: RemoteConfig = { version: current + 1, updatedAt: Date.now(), document };
        this.#sql.insertConfig.run(config.version, JSON.stringify(document), config.updatedAt);
        return config;
      }),
    );
    this.#watcher.checkNow();
    return stored;
  }

  watchRemoteConfig(onChange: (config: RemoteConfig) => void): () => void {
    return guardStore('watchRemoteConfig', () => this.#watcher.subscribe(onChange));
  }

  async createApiKey(
    record: Omit<ApiKeyRecord, 'createdAt' | 'revokedAt'>,
    keyHash: string,
  ): Promise<ApiKeyRecord> {
    return guardStore('createApiKey', () => {
      const stored: ApiKeyRecord = { ...record, createdAt: Date.now(), revokedAt: null };
      const { keyId, clientId, role, name, createdAt } = stored;
      const result = this.#sql.insertApiKey.run(keyId, keyHash, clientId, role, name, createdAt);
      if (result.changes === 0) {
        // Ids and hashes come from random keys: a clash is a bug, never a user's mistake.
        throw new HeraldError(
          'HERALD_INTERNAL',
          `an API key with id ${keyId} or the same hash already exists`,
        );
      }
      return stored;
    });
  }

  async findApiKeyByHash(keyHash: string): Promise<ApiKeyRecord | undefined> {
    return guardStore('findApiKeyByHash', () => {
      const row = this.#sql.selectApiKeyByHash.get(keyHash) as ApiKeyRow | undefined;
      return row === undefined ? undefined : toApiKeyRecord(row);
    });
  }

  async findApiKeyById(keyId: string): Promise<ApiKeyRecord | undefined> {
    return guardStore('findApiKeyById', () => {
      const row = this.#sql.selectApiKeyById.get(keyId) as ApiKeyRow | undefined;
      return row === undefined ? undefined : toApiKeyRecord(row);
    });
  }

  async putApiKey(
    record: Omit<ApiKeyRecord, 'createdAt' | 'revokedAt'>,
    keyHash: string,
  ): Promise<PutApiKeyResult> {
    return guardStore('putApiKey', () =>
      inTransaction(this.#db, (): PutApiKeyResult => {
        const holder = this.#sql.selectApiKeyByHash.get(keyHash) as ApiKeyRow | undefined;
        const current = this.#sql.selectApiKeyById.get(record.keyId) as ApiKeyRow | undefined;
        const step = planKeyPut(record.keyId, holder?.key_id, current !== undefined);
        if (step.kind === 'taken') return { outcome: 'taken', byKeyId: step.byKeyId };
        if (step.kind === 'unchanged') return { outcome: 'unchanged', record: toApiKeyRecord(current!) };
        const stored: ApiKeyRecord = { ...record, createdAt: Date.now(), revokedAt: null };
        const { keyId, clientId, role, name, createdAt } = stored;
        this.#sql.upsertApiKey.run(keyId, keyHash, clientId, role, name, createdAt);
        return { outcome: step.outcome, record: stored };
      }),
    );
  }

  async listApiKeys(): Promise<ApiKeyRecord[]> {
    return guardStore('listApiKeys', () =>
      (this.#sql.selectApiKeys.all() as unknown as ApiKeyRow[]).map(toApiKeyRecord),
    );
  }

  /** Revoking twice keeps the first revocation time; an unknown id is HERALD_NOT_FOUND. */
  async revokeApiKey(keyId: string): Promise<void> {
    guardStore('revokeApiKey', () => {
      const result = this.#sql.revokeApiKey.run(Date.now(), keyId);
      if (result.changes === 0 && this.#sql.selectApiKeyId.get(keyId) === undefined) {
        throw new HeraldError('HERALD_NOT_FOUND', `no API key ${keyId}`);
      }
    });
  }

  async addOptOut(clientId: string, channel: Channel, recipientHash: string): Promise<void> {
    guardStore('addOptOut', () => this.#sql.insertOptOut.run(clientId, channel, recipientHash, Date.now()));
  }

  async removeOptOut(clientId: string, channel: Channel, recipientHash: string): Promise<void> {
    guardStore('removeOptOut', () => this.#sql.deleteOptOut.run(clientId, channel, recipientHash));
  }

  async findOptOuts(
    clientId: string,
    channel: Channel,
    recipientHashes: readonly string[],
  ): Promise<Set<string>> {
    if (recipientHashes.length === 0) return new Set();
    return guardStore('findOptOuts', () => {
      const rows = this.#sql.selectOptOuts.all(clientId, channel, JSON.stringify(recipientHashes)) as {
        recipient_hash: string;
      }[];
      return new Set(rows.map((row) => row.recipient_hash));
    });
  }

  async healthy(): Promise<boolean> {
    try {
      this.#sql.latestVersion.get();
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.#watcher.stop();
    if (this.#db.isOpen) this.#db.close();
  }
}
