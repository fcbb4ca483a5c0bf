import type { BackgroundErrorHandler } from './store-failure.ts';

/** How often an embedded store deletes its expired rows. Expired rows are ignored before that anyway. */
export const DEFAULT_PURGE_INTERVAL_MS = 60_000;

/** Options of an embedded store whose rows expire (dedup keys, idempotency records). */
export interface ExpiringStoreOptions {
  readonly path: string;
  /** How often expired rows are deleted. Default 60 s. Expired rows are ignored before that anyway. */
  readonly purgeIntervalMs?: number;
  readonly onBackgroundError?: BackgroundErrorHandler;
}

/**
 * Runs `purge` every `intervalMs` without keeping the process alive; a failing run is reported and
 * the next one tries again. Returns the timer, for the store's close() to clear.
 */
export function startExpiryPurge(
  purge: () => unknown,
  intervalMs: number = DEFAULT_PURGE_INTERVAL_MS,
  onBackgroundError?: BackgroundErrorHandler,
): NodeJS.Timeout {
  const timer = setInterval(() => {
    try {
      purge();
    } catch (error) {
      onBackgroundError?.(error);
    }
  }, intervalMs);
  timer.unref();
  return timer;
}
