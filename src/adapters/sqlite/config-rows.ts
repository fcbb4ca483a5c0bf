import type { RemoteConfig } from '../../core/domain/remote-config.ts';
import type { ApiKeyRecord, ApiKeyRole } from '../../ports/config-store.ts';

/** Row shapes of the config tables and their mapping to the port's records. */
export interface RemoteConfigRow {
  version: number;
  document: string;
  updated_at: number;
}

export interface ApiKeyRow {
  key_id: string;
  client_id: string;
  role: string;
  name: string;
  created_at: number;
  revoked_at: number | null;
}

export const CONFIG_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE remote_config (
    version INTEGER PRIMARY KEY,
    document TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  ) STRICT;
  CREATE TABLE templates (
    code TEXT PRIMARY KEY,
    channel TEXT NOT NULL,
    body TEXT NOT NULL,
    buttons TEXT NOT NULL,
    fallback_body TEXT,
    updated_at INTEGER NOT NULL
  ) STRICT;
  CREATE TABLE api_keys (
    key_id TEXT PRIMARY KEY,
    key_hash TEXT NOT NULL UNIQUE,
    client_id TEXT NOT NULL,
    role TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
  ) STRICT;
  `,
  // Advertising opt-outs: (client, channel, recipient hash) is the whole record, so the primary
  // key is the table (WITHOUT ROWID) and the lookup of a request's recipients is an index probe.
  `
  CREATE TABLE ad_opt_outs (
    client_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    recipient_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (client_id, channel, recipient_hash)
  ) STRICT, WITHOUT ROWID;
  `,
];

export function toRemoteConfig(row: RemoteConfigRow): RemoteConfig {
  return { version: row.version, updatedAt: row.updated_at, document: JSON.parse(row.document) };
}

export function toApiKeyRecord(row: ApiKeyRow): ApiKeyRecord {
  return {
    keyId: row.key_id,
    clientId: row.client_id,
    role: row.role as ApiKeyRole,
    name: row.name,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}
