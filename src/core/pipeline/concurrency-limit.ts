/**
 * A counting semaphore whose limit can change while work runs, because lane concurrency is part
 * of the remote config and applies live. (cockatiel's bulkhead fixes its limit at construction.)
 * Lowering the limit lets running work finish and admits no more until below the new limit.
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

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#active >= this.#limit) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
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

  #admit(): void {
    while (this.#active < this.#limit && this.#waiting.length > 0) {
      this.#active++;
      this.#waiting.shift()!();
    }
  }
}
