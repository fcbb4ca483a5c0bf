import type { OutgoingRecord } from '../../ports/transport.ts';

/**
 * Coalesces concurrent produce calls into one Produce request. An idempotent producer keeps a
 * single request in flight per broker connection (the client forces maxInflights = 1, so that a
 * retry cannot reorder a partition), and every produce of the process (the API's requests, the
 * lanes' history events, retries, callbacks) would otherwise wait its turn for a whole acks=all
 * round trip: 150 ms per produce under the bench's load. Here the calls that arrive while a
 * request is in flight go together in the next one, as the Java producer's record accumulator
 * does, so the round trips carry the load instead of queueing it.
 *
 * Calls keep their order (FIFO, their records in order), so per-partition order is as if each had
 * been sent alone. A request takes calls up to `maxBytes` of keys and values (at least one call):
 * the broker refuses a record batch above message.max.bytes (1 MiB by default), and one partition
 * (the history log's) may get most of a request. When a request fails, every call in it fails,
 * as a multi-record produce does.
 */
export class ProduceCoalescer {
  readonly #send: (records: readonly OutgoingRecord[]) => Promise<void>;
  readonly #maxBytes: number;
  #waiting: Waiting[] = [];
  #sending = false;

  constructor(send: (records: readonly OutgoingRecord[]) => Promise<void>, maxBytes = 512 * 1024) {
    this.#send = send;
    this.#maxBytes = maxBytes;
  }

  produce(records: readonly OutgoingRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const bytes = records.reduce((sum, record) => sum + record.key.length + record.value.length, 0);
      this.#waiting.push({ records, bytes, resolve, reject });
      if (!this.#sending) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#sending = true;
    try {
      while (this.#waiting.length > 0) {
        const calls = this.#take();
        try {
          await this.#send(calls.flatMap((call) => call.records));
          for (const call of calls) call.resolve();
        } catch (error) {
          for (const call of calls) call.reject(error);
        }
      }
    } finally {
      this.#sending = false;
    }
  }

  /** The waiting calls that fit one request, oldest first (at least one). */
  #take(): Waiting[] {
    let bytes = 0;
    let count = 0;
    for (const call of this.#waiting) {
      if (count > 0 && bytes + call.bytes > this.#maxBytes) break;
      bytes += call.bytes;
      count += 1;
    }
    return this.#waiting.splice(0, count);
  }
}

interface Waiting {
  readonly records: readonly OutgoingRecord[];
  readonly bytes: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}
