import { DatabaseError } from 'pg';
import { HeraldError, isHeraldError } from '../../core/domain/errors.ts';

/**
 * SQLSTATE classes worth retrying: connection exceptions (08), rollbacks for serialization or
 * deadlock (40), insufficient resources (53), operator intervention such as a statement timeout or
 * a server shutting down (57), system errors (58), and lock_not_available (55P03).
 */
const TRANSIENT_CLASSES = new Set(['08', '40', '53', '57', '58']);

/**
 * Runs a store operation and turns any driver failure into HERALD_UNAVAILABLE, the code callers act
 * on (503 at the API, retry in the history writer). `retryable` says whether waiting can help:
 * a refused connection or a timeout can, a row PostgreSQL rejects as invalid cannot.
 */
export async function guardPostgres<T>(operation: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isHeraldError(error)) throw error;
    throw new HeraldError('HERALD_UNAVAILABLE', `PostgreSQL store failed during ${operation}`, {
      retryable: isTransient(error),
      cause: error,
    });
  }
}

function isTransient(error: unknown): boolean {
  // No SQLSTATE: the failure is below SQL (refused, reset, timed out, pool ended).
  if (!(error instanceof DatabaseError) || error.code === undefined) return true;
  return TRANSIENT_CLASSES.has(error.code.slice(0, 2)) || error.code === '55P03';
}
