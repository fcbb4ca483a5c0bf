import type { Pool, PoolClient } from 'pg';

/**
 * Runs `work` in a transaction on one pooled connection: COMMIT when it resolves, ROLLBACK when it
 * throws. A connection that failed is destroyed rather than returned to the pool, since its
 * session state (an aborted transaction, a half-read reply after a timeout) is unknown.
 *
 * While checked out, the connection has no pool listener for 'error': a server that resets it
 * (PostgreSQL restarting) would raise an uncaught exception besides failing the running query. The
 * query's rejection is what callers act on, so the event itself is ignored.
 */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  const ignore = () => {};
  client.on('error', ignore);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    client.off('error', ignore);
    client.release();
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    client.release(true); // destroyed, listener and all: it may still report the reset
    throw error;
  }
}
