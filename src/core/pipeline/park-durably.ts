import { setTimeout as sleep } from 'node:timers/promises';
import type { ParkedRecord, ScheduleStore } from '../../ports/schedule-store.ts';

const FIRST_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 5_000;

/**
 * Parks `records` until the schedule store has them, backing off (doubling to 5 s) while it is
 * down; `onFailure` counts and logs each failed try. Resolves true once they are durable, false
 * when `signal` stopped it first: the caller then leaves their source records uncommitted.
 */
export async function parkDurably(
  store: Pick<ScheduleStore, 'park'>,
  records: readonly ParkedRecord[],
  signal: AbortSignal,
  onFailure: (error: unknown, backoffMs: number) => void,
): Promise<boolean> {
  let backoffMs = FIRST_BACKOFF_MS;
  while (!signal.aborted) {
    try {
      await store.park(records);
      return true;
    } catch (error) {
      onFailure(error, backoffMs);
      await sleep(backoffMs, undefined, { signal }).catch(() => {});
      backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
    }
  }
  return false;
}
