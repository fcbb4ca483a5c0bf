import type { Pool, PoolClient, QueryResult } from 'pg';

/**
 * Runs `work` in a transaction on one pooled connection: COMMIT when it resolves, ROLLBACK when it
 * throws. A connection that failed is destroyed rather than returned to the pool, since its
 * session state (an aborted transaction, a half-read reply after a timeout) is unknown.
 *
 * While checked out, the connection has no pool listener for 'error': a server that resets it
 * (PostgreSQL restarting) would raise an uncaught exception besides failing the running query. The
 * query's rejection is what callers act on, so the event itself is ignored.
 */
/**
 * Statements without parameters sent in the same round trip as BEGIN and COMMIT (the simple query
 * protocol takes several statements in one string): a transaction that reads one row first and
 * writes one last saves two round trips. Values in them must be quoted with `client.escapeLiteral`.
 */
export interface TransactionEnds<T> {
  /** Run right after BEGIN; its result is handed to `work`. */
  readonly opening?: (client: PoolClient) => string;
  /** Run right before COMMIT, made from what `work` returned; undefined: none. */
  readonly closing?: (client: PoolClient, result: T) => string | undefined;
}

export async function inTransaction<T>(
  pool: Pool,
  work: (client: PoolClient, opened: QueryResult | undefined) => Promise<T>,
  ends: TransactionEnds<T> = {},
): Promise<T> {
  const client = await pool.connect();
  const ignore = () => {};
  client.on('error', ignore);
  try {
    const opening = ends.opening?.(client);
    const begun = await client.query(opening === undefined ? 'BEGIN' : `BEGIN; ${opening}`);
    const opened = opening === undefined ? undefined : (begun as unknown as QueryResult[])[1];
    const result = await work(client, opened);
    const closing = ends.closing?.(client, result);
    await client.query(closing === undefined ? 'COMMIT' : `${closing}; COMMIT`);
    client.off('error', ignore);
    client.release();
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    client.release(true); // destroyed, listener and all: it may still report the reset
    throw error;
  }
}
