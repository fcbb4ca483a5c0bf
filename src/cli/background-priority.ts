import { getPriority, setPriority } from 'node:os';
import type { Roles } from '../app/herald.ts';
import type { Logger } from '../observability/logger.ts';

/**
 * A process that runs only background work (batch and ad lanes, the history writer) and no API
 * lowers its own CPU priority by `nice`, so that on a host it shares with a realtime worker the
 * kernel runs the realtime one first. The history writer counts as background: history is a
 * projection that may trail (its lag is a metric), while a realtime send may not wait. Lanes
 * already have their own topics, groups and pools; this extends the separation to the CPU when a
 * deployment cannot give each lane its own machines. Measured (bench laneIsolation, 100k batch
 * flood on 2 cores, batch worker only): realtime queued -> vendor p50 22.9 -> 11.4 ms, p99
 * 322 -> 233 ms. Returns the niceness applied (0 when this process is not background-only).
 */
export function lowerPriorityIfBackground(roles: Roles, nice: number, logger: Logger): number {
  const increment = backgroundNiceIncrement(roles, nice);
  if (increment === 0) return 0;
  try {
    const target = Math.min(19, getPriority() + increment);
    setPriority(target);
    logger.info(
      { nice: target, lanes: roles.lanes, historyWriter: roles.historyWriter !== false },
      'background work only: CPU priority lowered',
    );
    return target;
  } catch (error) {
    // Lowering one's own priority is always allowed on Linux; elsewhere it is a nicety, not a must.
    logger.warn({ err: error }, 'could not lower the CPU priority of this background worker');
    return 0;
  }
}

/**
 * `nice` for a process running only batch/ad lane workers and/or the history writer, else 0 (the
 * API, a realtime lane or retry workers: they hold realtime messages on their way).
 */
export function backgroundNiceIncrement(roles: Roles, nice: number): number {
  const background = roles.lanes.length > 0 || roles.historyWriter !== false;
  const foreground = roles.api || roles.lanes.includes('realtime') || roles.retryLanes.length > 0;
  return background && !foreground ? nice : 0;
}
