import { Client, Pool, type QueryConfig } from 'pg';

export interface PostgresConnectionOptions {
  /** postgres://user[:password]@host:port/database[?sslmode=...] */
  readonly connectionString: string;
  readonly pool?: { readonly max?: number };
  /** Schema holding herald's tables, created when missing. Default 'herald'; tests use one per run. */
  readonly schema?: string;
  /** Opening a connection gives up after this long (also the wait for a free pooled one). Default 2 s. */
  readonly connectTimeoutMs?: number;
  /** The server cancels a statement running longer than this. Default 10 s. */
  readonly statementTimeoutMs?: number;
  /** Errors of idle or background connections (a server restart), for logging; they are recovered anyway. */
  readonly onBackgroundError?: (error: unknown) => void;
}

export interface PostgresConnection {
  readonly connectionString: string;
  readonly max: number;
  readonly schema: string;
  readonly connectTimeoutMs: number;
  readonly statementTimeoutMs: number;
  readonly onBackgroundError: (error: unknown) => void;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,47}$/;
/** Beyond the statement timeout: a server that cannot even cancel (gone, partitioned) is given up on client-side. */
const CLIENT_TIMEOUT_GRACE_MS = 2_000;
/** A transaction left open by a crashed caller must not hold its locks for long. */
const IDLE_IN_TRANSACTION_TIMEOUT_MS = 30_000;

export function resolveConnection(options: PostgresConnectionOptions): PostgresConnection {
  const schema = options.schema ?? 'herald';
  // Names go into DDL, NOTIFY channels and lock keys: a plain identifier keeps all of them safe and short.
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(
      `schema must be lowercase letters, digits and _ (at most 48), got ${JSON.stringify(schema)}`,
    );
  }
  return {
    connectionString: options.connectionString,
    max: options.pool?.max ?? 10,
    schema,
    connectTimeoutMs: options.connectTimeoutMs ?? 2_000,
    statementTimeoutMs: options.statementTimeoutMs ?? 10_000,
    onBackgroundError: options.onBackgroundError ?? (() => {}),
  };
}

function clientConfig(connection: PostgresConnection) {
  return {
    connectionString: connection.connectionString,
    connectionTimeoutMillis: connection.connectTimeoutMs,
    statement_timeout: connection.statementTimeoutMs,
    query_timeout: connection.statementTimeoutMs + CLIENT_TIMEOUT_GRACE_MS,
    idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_TIMEOUT_MS,
    keepAlive: true,
    application_name: 'herald',
  };
}

/**
 * A pool that fails fast and heals itself: a connection attempt is bounded, a query is bounded on
 * both sides, and a connection that dies while idle (PostgreSQL restarted) is dropped and replaced
 * on the next checkout. The 'error' listener is not optional: without it, an idle connection
 * dying would crash the process.
 */
export function createPool(connection: PostgresConnection): Pool {
  const pool = new Pool({ ...clientConfig(connection), max: connection.max, idleTimeoutMillis: 30_000 });
  pool.on('error', (error) => connection.onBackgroundError(error));
  return pool;
}

/** A connection of its own, outside the pool (LISTEN needs one session for as long as it listens). */
export function createClient(connection: PostgresConnection): Client {
  return new Client(clientConfig(connection));
}

export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A health probe answers within this, or the store counts as down. */
const HEALTH_TIMEOUT_MS = 1_000;

/** `SELECT 1` within a second: what every PostgreSQL store answers to healthy(). */
export async function isPoolHealthy(pool: Pool): Promise<boolean> {
  const query: QueryConfig & { query_timeout: number } = {
    text: 'SELECT 1',
    query_timeout: HEALTH_TIMEOUT_MS,
  };
  try {
    await pool.query(query);
    return true;
  } catch {
    return false;
  }
}
