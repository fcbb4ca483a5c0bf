/**
 * Listening to a long-lived signal (a lane's shutdown) from thousands of short-lived places at once
 * without one listener each on it. Node's EventTarget walks every registered listener on each
 * `addEventListener` (a duplicate check) and `removeEventListener`, so one listener per in-flight
 * call or waiting task makes registering them quadratic: with 4,000 records in flight it was 27% of
 * a worker's CPU at a zero-latency vendor (bench `limit`, profile: addEventListener 18.2%,
 * removeEventListener 8.4%). Here a signal gets one real listener, and it calls the subscribers of
 * a Set (O(1) to add and remove).
 */
const subscribers = new WeakMap<AbortSignal, Set<() => void>>();

/**
 * Calls `onAbort` once when `signal` aborts (at once if it already has); returns the unsubscribe.
 * Subscribers are kept per signal in a WeakMap, so a signal that is collected takes them along.
 */
export function whenAborted(signal: AbortSignal, onAbort: () => void): () => void {
  if (signal.aborted) {
    onAbort();
    return () => {};
  }
  let set = subscribers.get(signal);
  if (!set) {
    const created = new Set<() => void>();
    set = created;
    subscribers.set(signal, created);
    signal.addEventListener(
      'abort',
      () => {
        subscribers.delete(signal);
        for (const subscriber of created) subscriber();
      },
      { once: true },
    );
  }
  const mine = set;
  mine.add(onAbort);
  return () => mine.delete(onAbort);
}

/**
 * Runs `work` with a signal of its own that aborts (with the same reason) when `parent` does: what
 * a policy may derive from and abort freely, at the cost of one Set entry on the parent.
 */
export async function withChildSignal<T>(
  parent: AbortSignal,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const child = new AbortController();
  const unsubscribe = whenAborted(parent, () => child.abort(parent.reason));
  try {
    return await work(child.signal);
  } finally {
    unsubscribe();
  }
}
