import { setTimeout as sleep } from 'node:timers/promises';

/** Polls `condition` until it holds; fails after `ms` naming `what` (an event that never came). */
export async function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`${what} did not happen within ${ms} ms`);
    await sleep(5);
  }
}
