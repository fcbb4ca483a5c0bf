/**
 * Coalesces many small writes into one store call: items are buffered and written together when
 * `maxItems` are waiting or `maxDelayMs` has passed since the first. Each `write` resolves when its
 * items are in the store, so a caller can finish a record only after its outcome is durable.
 *
 * On a failed flush the items stay buffered and the flush is tried again after `retryDelayMs`
 * (doubling up to 5 s): history must not be dropped because its store blinked. Callers that
 * prefer to go on without the store (dedup, fail-open) pass `onError: 'reject'`.
 */
export interface BatchingWriterOptions<T> {
  readonly flush: (items: T[]) => Promise<void>;
  readonly maxItems?: number;
  readonly maxDelayMs?: number;
  readonly onError?: 'retry' | 'reject';
  readonly retryDelayMs?: number;
  /** Told about every failed flush (logging, metrics). */
  readonly onFlushError?: (error: unknown, items: number) => void;
}

interface Pending<T> {
  readonly items: T[];
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export class BatchingWriter<T> {
  readonly #options: Required<Omit<BatchingWriterOptions<T>, 'onFlushError'>> &
    Pick<BatchingWriterOptions<T>, 'onFlushError'>;
  #buffer: Pending<T>[] = [];
  #count = 0;
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> | undefined;
  #retryDelayMs: number;

  constructor(options: BatchingWriterOptions<T>) {
    this.#options = { maxItems: 500, maxDelayMs: 10, onError: 'retry', retryDelayMs: 100, ...options };
    this.#retryDelayMs = this.#options.retryDelayMs;
  }

  /** Items buffered and not yet written (for health and backpressure). */
  get buffered(): number {
    return this.#count;
  }

  write(items: T[]): Promise<void> {
    if (items.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.#buffer.push({ items, resolve, reject });
      this.#count += items.length;
      if (this.#count >= this.#options.maxItems) this.#schedule(0);
      else this.#schedule(this.#options.maxDelayMs);
    });
  }

  /** Writes everything buffered now (shutdown). Resolves when the buffer is empty or rejects. */
  async drain(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    while (this.#buffer.length > 0 || this.#flushing) {
      await (this.#flushing ?? this.#flushNow());
    }
  }

  #schedule(delayMs: number): void {
    if (this.#flushing) return; // the running flush reschedules when it ends
    if (this.#timer && delayMs > 0) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#flushNow();
    }, delayMs);
  }

  #flushNow(): Promise<void> {
    const batch = this.#buffer;
    this.#buffer = [];
    this.#count = 0;
    this.#flushing = this.#runFlush(batch).finally(() => {
      this.#flushing = undefined;
      if (this.#buffer.length > 0)
        this.#schedule(this.#count >= this.#options.maxItems ? 0 : this.#options.maxDelayMs);
    });
    return this.#flushing;
  }

  async #runFlush(batch: Pending<T>[]): Promise<void> {
    if (batch.length === 0) return;
    try {
      await this.#options.flush(batch.flatMap((pending) => pending.items));
      this.#retryDelayMs = this.#options.retryDelayMs;
      for (const pending of batch) pending.resolve();
    } catch (error) {
      this.#options.onFlushError?.(error, batch.length);
      if (this.#options.onError === 'reject') {
        for (const pending of batch) pending.reject(error);
        return;
      }
      // Put the failed items back in front, in order, and try again later.
      this.#buffer = [...batch, ...this.#buffer];
      this.#count += batch.reduce((sum, pending) => sum + pending.items.length, 0);
      await new Promise((resolve) => setTimeout(resolve, this.#retryDelayMs));
      this.#retryDelayMs = Math.min(this.#retryDelayMs * 2, 5_000);
    }
  }
}
