import type { TopicPartition, TransportRecord } from '../../ports/transport.ts';

/** `topic:partition`; Kafka topic names cannot contain ':' so the key is unambiguous. */
export function partitionKey(topic: string, partition: number): string {
  return `${topic}:${partition}`;
}

/** A FIFO with O(1) shift: an array with a moving head, compacted now and then. */
class Queue {
  readonly topicPartition: TopicPartition;
  #items: TransportRecord[] = [];
  #head = 0;

  constructor(topicPartition: TopicPartition) {
    this.topicPartition = topicPartition;
  }

  get length(): number {
    return this.#items.length - this.#head;
  }

  push(record: TransportRecord): void {
    this.#items.push(record);
  }

  takeInto(out: TransportRecord[], count: number): void {
    const end = Math.min(this.#items.length, this.#head + count);
    for (let i = this.#head; i < end; i++) out.push(this.#items[i]!);
    this.#head = end;
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    } else if (this.#head > 1_024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
  }
}

/**
 * Fetched records waiting for `poll`, one queue per partition.
 *
 * A Kafka fetch answers partition by partition, so a plain FIFO would hand out a hot partition's
 * whole backlog before the first record of a quiet one. `take` instead shares each poll across
 * the partitions that have records, starting one further each time, so every partition with a
 * backlog is served within a poll or two and per-partition order is kept.
 */
export class RecordBuffer {
  readonly #queues = new Map<string, Queue>();
  readonly #waiters = new Set<() => void>();
  #size = 0;
  #cursor = 0;

  get size(): number {
    return this.#size;
  }

  push(record: TransportRecord): void {
    const key = partitionKey(record.topic, record.partition);
    let queue = this.#queues.get(key);
    if (queue === undefined) {
      queue = new Queue({ topic: record.topic, partition: record.partition });
      this.#queues.set(key, queue);
    }
    queue.push(record);
    this.#size++;
    for (const wake of this.#waiters) wake();
    this.#waiters.clear();
  }

  /** Up to `max` records, a fair share from each partition with records, in offset order per partition. */
  take(max: number): TransportRecord[] {
    const out: TransportRecord[] = [];
    const ready = [...this.#queues.values()].filter((queue) => queue.length > 0);
    if (ready.length === 0 || max <= 0) return out;
    const start = this.#cursor++ % ready.length;
    while (out.length < max && out.length < this.#size) {
      const share = Math.max(1, Math.floor((max - out.length) / ready.length));
      for (let step = 0; step < ready.length && out.length < max; step++) {
        const queue = ready[(start + step) % ready.length]!;
        queue.takeInto(out, Math.min(share, max - out.length));
      }
    }
    this.#size -= out.length;
    return out;
  }

  /** Forgets the records of these partitions (taken away by a rebalance). */
  drop(partitions: readonly TopicPartition[]): void {
    for (const { topic, partition } of partitions) {
      const key = partitionKey(topic, partition);
      const queue = this.#queues.get(key);
      if (queue === undefined) continue;
      this.#size -= queue.length;
      this.#queues.delete(key);
    }
  }

  clear(): void {
    this.#queues.clear();
    this.#size = 0;
  }

  /** Resolves when a record is pushed, after `ms`, or when `signal` aborts, whichever comes first. */
  waitForRecords(ms: number, signal: AbortSignal): Promise<void> {
    if (this.#size > 0 || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.#waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
      this.#waiters.add(done);
    });
  }
}
