import type { CommitOffset, TopicPartition, TransportRecord } from '../../ports/transport.ts';

/**
 * Decides what a consumer may commit: per partition, the highest offset below which every record
 * is finished (sent, failed, expired, duplicate or handed to the retry topic). Records finish out of
 * order because the lane pools run them concurrently; committing anything past the first unfinished
 * record would lose it in a crash. Records of one partition are tracked in arrival order, which is
 * offset order, so the commit point only ever moves forward past a finished prefix.
 */
interface PartitionState {
  readonly topic: string;
  readonly partition: number;
  /** Offsets taken, in arrival order; entries before `head` are finished. */
  offsets: number[];
  head: number;
  finished: Set<number>;
  /** Next offset to read once every tracked record is finished. */
  next: number;
  /** Last offset handed out by `committable` (to skip unchanged partitions). */
  reported: number;
}

export class OffsetTracker {
  readonly #partitions = new Map<string, PartitionState>();
  #pending = 0;

  /** Records not yet finished, across partitions: the in-flight count that backpressure bounds. */
  get pending(): number {
    return this.#pending;
  }

  track(record: TransportRecord): void {
    const state = this.#state(record.topic, record.partition);
    state.offsets.push(record.offset);
    state.next = Math.max(state.next, record.offset + 1);
    this.#pending++;
  }

  finish(record: TransportRecord): void {
    const state = this.#partitions.get(key(record.topic, record.partition));
    if (!state || state.finished.has(record.offset)) return;
    if (!state.offsets.includes(record.offset, state.head)) return;
    state.finished.add(record.offset);
    this.#pending--;
    while (state.head < state.offsets.length && state.finished.has(state.offsets[state.head]!)) {
      state.finished.delete(state.offsets[state.head]!);
      state.head++;
    }
    // Compact now and then so a long-lived partition does not grow without bound.
    if (state.head > 1024 && state.head * 2 > state.offsets.length) {
      state.offsets = state.offsets.slice(state.head);
      state.head = 0;
    }
  }

  /** Offsets that moved since the last call: the first unfinished offset, or next-to-read if none. */
  committable(): CommitOffset[] {
    const out: CommitOffset[] = [];
    for (const state of this.#partitions.values()) {
      const offset = state.head < state.offsets.length ? state.offsets[state.head]! : state.next;
      if (offset > state.reported) {
        out.push({ topic: state.topic, partition: state.partition, offset });
      }
    }
    return out;
  }

  /** Call after a commit succeeded, so the same offsets are not committed again. */
  markCommitted(offsets: readonly CommitOffset[]): void {
    for (const { topic, partition, offset } of offsets) {
      const state = this.#partitions.get(key(topic, partition));
      if (state) state.reported = Math.max(state.reported, offset);
    }
  }

  /** Unfinished records of these partitions (a revoke waits for them to reach zero). */
  pendingIn(partitions: readonly TopicPartition[]): number {
    let count = 0;
    for (const { topic, partition } of partitions) {
      const state = this.#partitions.get(key(topic, partition));
      if (state) count += state.offsets.length - state.head;
    }
    return count;
  }

  /** Forget partitions that were taken away; their unfinished records will be redelivered elsewhere. */
  forget(partitions: readonly TopicPartition[]): void {
    for (const { topic, partition } of partitions) {
      const k = key(topic, partition);
      const state = this.#partitions.get(k);
      if (!state) continue;
      this.#pending -= state.offsets.length - state.head;
      this.#partitions.delete(k);
    }
  }

  #state(topic: string, partition: number): PartitionState {
    const k = key(topic, partition);
    let state = this.#partitions.get(k);
    if (!state) {
      state = { topic, partition, offsets: [], head: 0, finished: new Set(), next: 0, reported: -1 };
      this.#partitions.set(k, state);
    }
    return state;
  }
}

function key(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}
