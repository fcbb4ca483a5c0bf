import type { RemoteConfig } from '../../core/domain/remote-config.ts';
import type { ApiKeyRecord, ApiKeyRole } from '../../ports/config-store.ts';
import type { Migrations } from './migrations.ts';

/**
 * Config tables, as in the embedded store. Every remote config version is kept (an audit trail
 * and a way back); the highest is the live one. Documents and buttons are jsonb, so an operator
 * can query them. Times come from the database clock, one clock for every process.
 */
export const CONFIG_MIGRATIONS: Migrations = {
  component: 'config',
  scripts: [
    `
    CREATE TABLE remote_config (
      version integer PRIMARY KEY,
      document jsonb NOT NULL,
      updated_at timestamptz NOT NULL
    );
    CREATE TABLE templates (
      code text PRIMARY KEY,
      channel text NOT NULL,
      body text NOT NULL,
      buttons jsonb NOT NULL,
      fallback_body text,
      updated_at timestamptz NOT NULL
    );
    CREATE TABLE api_keys (
      key_id text PRIMARY KEY,
      key_hash text NOT NULL UNIQUE,
      client_id text NOT NULL,
      role text NOT NULL,
      name text NOT NULL,
      created_at timestamptz NOT NULL,
      revoked_at timestamptz
    );
    `,
    // Advertising opt-outs: (client, channel, recipient hash) is the whole record, so the primary
    // key serves the lookup of a request's recipients.
    `
    CREATE TABLE ad_opt_outs (
      client_id text NOT NULL,
      channel text NOT NULL,
      recipient_hash text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (client_id, channel, recipient_hash)
    );
    `,
  ],
};

export interface RemoteConfigRow {
  version: number;
  document: RemoteConfig['document'];
  updated_at: Date;
}

export interface ApiKeyRow {
  key_id: string;
  client_id: string;
  role: string;
  name: string;
  created_at: Date;
  revoked_at: Date | null;
}

export function toRemoteConfig(row: RemoteConfigRow): RemoteConfig {
  return { version: row.version, updatedAt: row.updated_at.getTime(), document: row.document };
}

export function toApiKeyRecord(row: ApiKeyRow): ApiKeyRecord {
  return {
    keyId: row.key_id,
    clientId: row.client_id,
    role: row.role as ApiKeyRole,
    name: row.name,
    createdAt: row.created_at.getTime(),
    revokedAt: row.revoked_at === null ? null : row.revoked_at.getTime(),
  };
}
