import type { ParkedRecord, ScheduleStore } from '../../ports/schedule-store.ts';
import { STOPPED, untilStopped } from './until-stopped.ts';

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
  return (await untilStopped(() => store.park(records), signal, onFailure)) !== STOPPED;
}
