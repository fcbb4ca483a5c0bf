import { setTimeout as sleep } from 'node:timers/promises';

const FIRST_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 5_000;

/** What `untilStopped` resolves to when `signal` stopped it before `work` succeeded. */
export const STOPPED: unique symbol = Symbol('stopped');

/**
 * Runs `work` until it succeeds, backing off (from 100 ms, doubling to 5 s) while it fails: how
 * herald waits out a store that is down instead of skipping what it was writing. `onFailure`
 * counts and logs each failed try. Resolves STOPPED when `signal` stopped it first: the caller
 * then leaves its source records uncommitted, to be read again after a restart.
 */
export async function untilStopped<T>(
  work: () => Promise<T>,
  signal: AbortSignal,
  onFailure: (error: unknown, backoffMs: number) => void,
): Promise<T | typeof STOPPED> {
  let backoffMs = FIRST_BACKOFF_MS;
  while (!signal.aborted) {
    try {
      return await work();
    } catch (error) {
      onFailure(error, backoffMs);
      await sleep(backoffMs, undefined, { signal }).catch(() => {});
      backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
    }
  }
  return STOPPED;
}
