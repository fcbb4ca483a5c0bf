import { getPriority, setPriority } from 'node:os';
import type { Roles } from '../app/herald.ts';
import type { Logger } from '../observability/logger.ts';

/**
 * A worker process that runs only background lanes (batch, ad) and no API lowers its own CPU
 * priority by `nice`, so that on a host it shares with a realtime worker the kernel runs the
 * realtime one first. Lanes already have their own topics, groups and pools; this extends the
 * separation to the CPU when a deployment cannot give each lane its own machines. Measured (bench
 * laneIsolation, 100k batch flood on 2 cores): realtime queued -> vendor p50 22.9 -> 11.4 ms,
 * p99 322 -> 233 ms. Returns the niceness applied (0 when this process is not background-only).
 */
export function lowerPriorityIfBackground(roles: Roles, nice: number, logger: Logger): number {
  const increment = backgroundNiceIncrement(roles, nice);
  if (increment === 0) return 0;
  try {
    const target = Math.min(19, getPriority() + increment);
    setPriority(target);
    logger.info({ nice: target, lanes: roles.lanes }, 'background lanes only: CPU priority lowered');
    return target;
  } catch (error) {
    // Lowering one's own priority is always allowed on Linux; elsewhere it is a nicety, not a must.
    logger.warn({ err: error }, 'could not lower the CPU priority of this background worker');
    return 0;
  }
}

/** `nice` for a process running only batch/ad lane workers, else 0 (API, realtime, retry workers). */
export function backgroundNiceIncrement(roles: Roles, nice: number): number {
  const backgroundOnly =
    !roles.api &&
    roles.lanes.length > 0 &&
    !roles.lanes.includes('realtime') &&
    roles.retryLanes.length === 0;
  return backgroundOnly ? nice : 0;
}
