import type { Pool, PoolClient } from 'pg';
import { quoteIdentifier } from './pg-connection.ts';
import { inTransaction } from './pg-transaction.ts';

/**
 * A component's schema history: SQL scripts in order, script N taking the schema to version N.
 * Scripts use unqualified names; they run with the search_path set to the store's schema.
 * Never edit a released script: add the next one.
 */
export interface Migrations {
  /** 'history' or 'config': both stores may share one schema, each with its own versions. */
  readonly component: string;
  readonly scripts: readonly string[];
}

/** First key of the schema's two-key advisory lock (DDL on it); the second is a hash of its name. */
export const SCHEMA_LOCK_CLASS = 0x4852_4c44; // 'HRLD'

/**
 * Brings `schema` up to date, in one transaction. Why not a migration library: herald has two
 * components with a handful of forward-only scripts each, run by the stores themselves at start;
 * the whole mechanism is this function, and it needs nothing a library would add (down
 * migrations, a CLI, file discovery).
 *
 * Several processes start at once in production (workers, API replicas): a transaction-scoped
 * advisory lock makes the second one wait for the first and then find nothing left to do. DDL is
 * transactional in PostgreSQL, so a failing script leaves the schema exactly as it was.
 * A database already past this code's last script (a newer herald ran) is left alone: scripts
 * are written to keep the previous release working.
 */
export async function runMigrations(pool: Pool, schema: string, migrations: Migrations): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [SCHEMA_LOCK_CLASS, schema]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`);
    await client.query(`SET LOCAL search_path TO ${quoteIdentifier(schema)}`);
    await client.query(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        component text NOT NULL,
        version integer NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (component, version)
      )`);
    await applyMissing(client, migrations);
  });
}

async function applyMissing(client: PoolClient, { component, scripts }: Migrations): Promise<void> {
  const { rows } = await client.query<{ version: number }>(
    'SELECT coalesce(max(version), 0)::integer AS version FROM schema_migrations WHERE component = $1',
    [component],
  );
  for (let version = rows[0]!.version + 1; version <= scripts.length; version++) {
    await client.query(scripts[version - 1]!);
    await client.query('INSERT INTO schema_migrations (component, version) VALUES ($1, $2)', [
      component,
      version,
    ]);
  }
}
