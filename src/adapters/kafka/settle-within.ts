import { setTimeout as sleep } from 'node:timers/promises';

/** Whether `promise` settled within `ms` (its rejection is rethrown); never waits longer. */
export async function settleWithin(promise: Promise<unknown>, ms: number): Promise<'done' | 'timeout'> {
  const controller = new AbortController();
  const timeout = sleep(ms, 'timeout' as const, { signal: controller.signal });
  try {
    return await Promise.race([promise.then(() => 'done' as const), timeout]);
  } finally {
    controller.abort();
    timeout.catch(() => {});
  }
}
