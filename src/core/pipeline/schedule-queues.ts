import type { Lane } from '../domain/lane.ts';

/**
 * Where the retry worker parks what waits longer than it holds in memory: per lane, one queue for
 * retries and one for night ads (deferred until 08:00 KST). Two queues, not one, because 100,000
 * ads all due at 08:00 must never stand in front of a retry due at 08:00:01: the releaser takes
 * retries first and paces the night wave (schedule-releaser.ts).
 */
export type ScheduleKind = 'retry' | 'night-ad';

export const SCHEDULE_KINDS: readonly ScheduleKind[] = ['retry', 'night-ad'];

export function scheduleQueue(lane: Lane, kind: ScheduleKind): string {
  return `herald.${lane}.${kind}`;
}
