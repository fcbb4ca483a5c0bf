import type { BackgroundErrorHandler } from './store-failure.ts';

export interface VersionWatcherOptions<T> {
  readonly intervalMs: number;
  readonly readLatestVersion: () => number;
  /** Every stored item above `version`, oldest first. */
  readonly readNewerThan: (version: number) => T[];
  readonly onError?: BackgroundErrorHandler;
}

/**
 * Delivers every new version of a versioned row to subscribers, in order. Polls the file on an
 * unref'd timer (so a change written by another process arrives within one interval) while anyone
 * is subscribed; `checkNow` delivers a change made in this process without waiting for the timer.
 */
export class VersionWatcher<T extends { readonly version: number }> {
  readonly #options: VersionWatcherOptions<T>;
  readonly #subscribers = new Set<(item: T) => void>();
  #timer: NodeJS.Timeout | undefined;
  #lastDelivered = 0;

  constructor(options: VersionWatcherOptions<T>) {
    this.#options = options;
  }

  subscribe(onChange: (item: T) => void): () => void {
    if (this.#timer === undefined) this.#start();
    // A wrapper per subscription, so subscribing the same function twice needs two unsubscribes.
    const subscriber = (item: T): void => onChange(item);
    this.#subscribers.add(subscriber);
    return () => {
      this.#subscribers.delete(subscriber);
      if (this.#subscribers.size === 0) this.stop();
    };
  }

  checkNow(): void {
    if (this.#timer === undefined) return;
    try {
      for (const item of this.#options.readNewerThan(this.#lastDelivered)) {
        // A subscriber may itself store a version, which delivers it in a nested check.
        if (item.version <= this.#lastDelivered) continue;
        this.#lastDelivered = item.version;
        this.#deliver(item);
      }
    } catch (error) {
      this.#options.onError?.(error);
    }
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#subscribers.clear();
  }

  #start(): void {
    this.#lastDelivered = this.#options.readLatestVersion();
    this.#timer = setInterval(() => this.checkNow(), this.#options.intervalMs);
    this.#timer.unref();
  }

  #deliver(item: T): void {
    for (const subscriber of [...this.#subscribers]) {
      try {
        subscriber(item);
      } catch (error) {
        this.#options.onError?.(error);
      }
    }
  }
}
