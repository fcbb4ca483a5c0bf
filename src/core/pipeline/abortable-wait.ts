import { whenAborted } from './abort-fan-out.ts';

/**
 * Waiting that a lane's shutdown cuts short. Thousands of sends may wait on one lane signal at
 * once, so these subscribe through whenAborted (one real listener per signal, see
 * abort-fan-out.ts) instead of timers/promises' one listener each.
 */

/** Resolves as `promise` does, or rejects with the signal's reason when `signal` aborts first. */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const unsubscribe = whenAborted(signal, () => reject(signal.reason));
    promise.then(
      (value) => {
        unsubscribe();
        resolve(value);
      },
      (error: unknown) => {
        unsubscribe();
        reject(error);
      },
    );
  });
}

/** Resolves after `ms`, or rejects with the signal's reason when `signal` aborts first. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      resolve();
    }, ms);
    const unsubscribe = whenAborted(signal, () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}
