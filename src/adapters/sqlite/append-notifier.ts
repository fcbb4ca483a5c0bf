interface Waiter {
  readonly topics: ReadonlySet<string>;
  readonly wake: () => void;
}

/**
 * Wakes pollers of this process the moment a produce commits to one of their topics, so an
 * in-process hand-off costs no polling delay. Appends made by other processes are not seen here;
 * pollers cover them by re-reading the file on a short interval.
 */
export class AppendNotifier {
  readonly #waiters = new Set<Waiter>();

  notify(topics: ReadonlySet<string>): void {
    for (const waiter of this.#waiters) {
      for (const topic of waiter.topics) {
        if (topics.has(topic)) {
          waiter.wake();
          break;
        }
      }
    }
  }

  /** Resolves on an append to one of `topics`, after `timeoutMs`, or when `signal` aborts; never rejects. */
  waitForAppend(topics: ReadonlySet<string>, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter: Waiter = { topics, wake: () => finish() };
      const timer = setTimeout(() => finish(), timeoutMs);
      const finish = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', finish);
        this.#waiters.delete(waiter);
        resolve();
      };
      signal?.addEventListener('abort', finish, { once: true });
      this.#waiters.add(waiter);
    });
  }
}
