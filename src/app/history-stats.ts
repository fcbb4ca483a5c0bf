import { join } from 'node:path';
import { PostgresHistoryStats } from '../adapters/postgres/postgres-history-stats.ts';
import { SqliteHistoryStats } from '../adapters/sqlite/sqlite-history-stats.ts';
import type { EnvConfig } from '../config/env-config.ts';
import type { HistoryStats } from '../ports/history-stats.ts';

/**
 * The stats reader over the history this deployment writes (GET /admin/stats), chosen like the
 * history store in stores.ts: PostgreSQL (same database and schema) when HERALD_DATABASE_URL is set,
 * else the embedded history file. Opened where the API runs; its own connection(s), so a long stats
 * query never holds one the writers need.
 */
export function openHistoryStats(env: EnvConfig, onBackgroundError: (error: unknown) => void): HistoryStats {
  return env.databaseUrl
    ? new PostgresHistoryStats({
        connectionString: env.databaseUrl,
        onBackgroundError,
        ...(env.namespace ? { schema: `herald_${env.namespace}` } : {}),
      })
    : new SqliteHistoryStats({ path: join(env.dataDir, 'history.db') });
}
