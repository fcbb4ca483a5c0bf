import { whenAborted } from './abort-fan-out.ts';

/**
 * A counting semaphore whose limit can change while work runs, because lane concurrency is part
 * of the remote config and applies live. (cockatiel's bulkhead fixes its limit at construction.)
 * Lowering the limit lets running work finish and admits no more until below the new limit.
 * A task still waiting for a slot when its signal aborts (shutdown) is dropped, never started.
 */
export class ConcurrencyLimit {
  #limit: number;
  #active = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(limit: number) {
    this.#limit = Math.max(1, limit);
  }

  get active(): number {
    return this.#active;
  }

  get queued(): number {
    return this.#waiting.length;
  }

  setLimit(limit: number): void {
    this.#limit = Math.max(1, limit);
    this.#admit();
  }

  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    if (this.#active >= this.#limit) {
      await this.#slot(signal);
    } else {
      this.#active++;
    }
    try {
      return await task();
    } finally {
      this.#active--;
      this.#admit();
    }
  }

  /** Waits for #admit to hand over a slot (counted by #admit), or rejects when `signal` aborts. */
  #slot(signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let unsubscribe = () => {};
      const admitted = () => {
        unsubscribe();
        resolve();
      };
      this.#waiting.push(admitted);
      // Thousands of tasks wait on one lane signal: whenAborted keeps that linear (abort-fan-out.ts).
      if (signal) {
        unsubscribe = whenAborted(signal, () => {
          this.#waiting.splice(this.#waiting.indexOf(admitted), 1);
          reject(signal.reason);
        });
      }
    });
  }

  #admit(): void {
    while (this.#active < this.#limit && this.#waiting.length > 0) {
      this.#active++;
      this.#waiting.shift()!();
    }
  }
}
