import { HeraldError, isHeraldError } from '../../core/domain/errors.ts';

/**
 * Runs a store operation and turns a driver failure (locked file, disk full, closed database)
 * into HERALD_UNAVAILABLE, the code callers act on (503 at the API, fail-open in the pipeline).
 * HeraldErrors raised on purpose (conflicts, unknown topics) pass through unchanged.
 */
export function guardStore<T>(operation: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (isHeraldError(error)) throw error;
    throw new HeraldError('HERALD_UNAVAILABLE', `SQLite store failed during ${operation}`, {
      retryable: true,
      cause: error,
    });
  }
}

/** A background job's failure: passed to the adapter's `onBackgroundError`, else dropped (next run retries). */
export type BackgroundErrorHandler = (error: unknown) => void;
