/**
 * A delay that a shutdown signal cuts short, for the simulator's per-call latency. timers/promises'
 * `sleep(ms, value, { signal })` adds and removes an abort listener on the signal for every call,
 * and EventTarget listeners are slow: at 10,000 calls/s against one long-lived shutdown signal they
 * were 3% of the simulator's CPU. Here each signal has one listener, added on its first delay, that
 * rejects every delay still pending on it.
 */
interface Pending {
  readonly timer: NodeJS.Timeout;
  readonly reject: (reason: unknown) => void;
}

const pendingBySignal = new WeakMap<AbortSignal, Set<Pending>>();

/** Resolves after `ms`; rejects with the signal's reason once `shutdown` aborts (or at once if it has). */
export function delayUnlessShutdown(ms: number, shutdown: AbortSignal): Promise<void> {
  if (shutdown.aborted) return Promise.reject(shutdown.reason);
  const pending = pendingOf(shutdown);
  return new Promise<void>((resolve, reject) => {
    const entry: Pending = {
      timer: setTimeout(() => {
        pending.delete(entry);
        resolve();
      }, ms),
      reject,
    };
    pending.add(entry);
  });
}

function pendingOf(shutdown: AbortSignal): Set<Pending> {
  let pending = pendingBySignal.get(shutdown);
  if (pending === undefined) {
    const created = new Set<Pending>();
    pending = created;
    pendingBySignal.set(shutdown, created);
    shutdown.addEventListener(
      'abort',
      () => {
        for (const entry of created) {
          clearTimeout(entry.timer);
          entry.reject(shutdown.reason);
        }
        created.clear();
      },
      { once: true },
    );
  }
  return pending;
}

/**
 * Resolves once `now()` has reached `at` (the simulator's clock), waiting again for what is left.
 * A timer counts from the event loop's time cached at the start of the tick that set it, so under
 * load it fires before `Date.now()` has moved by its delay: a report of results that must be known
 * by then (SOLAPI reports only final results) would catch the last of them still pending.
 */
export async function delayUntil(at: number, now: () => number, shutdown: AbortSignal): Promise<void> {
  for (let wait = at - now(); wait > 0; wait = at - now()) await delayUnlessShutdown(wait, shutdown);
}
