import { HeraldError } from '../../core/domain/errors.ts';
import type {
  CommitOffset,
  Consumer,
  ConsumerOptions,
  TopicPartition,
  TransportRecord,
} from '../../ports/transport.ts';
import type { AppendNotifier } from './append-notifier.ts';
import { shareFairly } from './share-fairly.ts';
import { guardStore } from './store-failure.ts';
import type { TopicInfo, TransportLog } from './transport-log.ts';
import { partitionSlot } from './transport-log.ts';

/** How long `close` waits for the caller's onRevoke (its last commits) before giving up on it. */
const REVOKE_TIME_LIMIT_MS = 10_000;

/** What a consumer needs from its transport: the log, the append wake-up, and a way to sign off. */
export interface ConsumerContext {
  readonly log: TransportLog;
  readonly notifier: AppendNotifier;
  /** How often a waiting poll re-reads the file for appends made by other processes. */
  readonly pollIntervalMs: number;
  readonly onClosed: () => void;
}

interface AssignedPartition {
  readonly topic: TopicInfo;
  readonly partition: number;
  readonly slot: string;
}

/**
 * A consumer of the embedded log. It owns every partition of its topics (one process, no
 * rebalancing) and reads from in-memory positions that start at the group's committed offsets:
 * after a crash, reading resumes at the last commit and later records are delivered again.
 */
export class SqliteConsumer implements Consumer {
  readonly #context: ConsumerContext;
  readonly #group: string;
  readonly #topicNames: ReadonlySet<string>;
  readonly #onRevoke: ConsumerOptions['onRevoke'];
  readonly #closing = new AbortController();
  readonly #assigned: AssignedPartition[] = [];
  readonly #topicsById = new Map<number, TopicInfo>();
  readonly #positions = new Map<string, number>();
  #cursor = 0;
  #closed: Promise<void> | undefined;

  constructor(context: ConsumerContext, options: ConsumerOptions) {
    this.#context = context;
    this.#group = options.group;
    this.#topicNames = new Set(options.topics);
    this.#onRevoke = options.onRevoke;
    this.#assignNewTopics();
  }

  async poll(maxRecords: number, maxWaitMs: number, signal?: AbortSignal): Promise<TransportRecord[]> {
    const deadline = Date.now() + maxWaitMs;
    const wake =
      signal === undefined ? this.#closing.signal : AbortSignal.any([signal, this.#closing.signal]);
    const limit = Math.max(1, Math.floor(maxRecords));
    while (!wake.aborted) {
      const records = guardStore('poll', () => this.#fetch(limit));
      if (records.length > 0) return records;
      const remaining = deadline - Date.now();
      if (remaining <= 0) break;
      const interval = Math.min(remaining, this.#context.pollIntervalMs);
      await this.#context.notifier.waitForAppend(this.#topicNames, interval, wake);
    }
    return [];
  }

  async commit(offsets: readonly CommitOffset[]): Promise<void> {
    if (offsets.length === 0) return;
    guardStore('commit', () => {
      const resolved = offsets.map(({ topic, partition, offset }) => {
        const info = this.#context.log.requireTopic(topic);
        if (!Number.isSafeInteger(offset) || offset < 0 || partition < 0 || partition >= info.partitions) {
          throw new HeraldError('HERALD_INTERNAL', `invalid commit ${topic}[${partition}]@${offset}`);
        }
        return { topicId: info.id, partition, offset };
      });
      this.#context.log.commit(this.#group, resolved);
    });
  }

  async committed(): Promise<CommitOffset[]> {
    return guardStore('committed', () => {
      this.#assignNewTopics();
      const rows = this.#context.log.committed(this.#group, [...this.#topicsById.keys()]);
      return rows.map((row) => ({
        topic: this.#topicsById.get(row.topicId)!.name,
        partition: row.partition,
        offset: row.offset,
      }));
    });
  }

  /**
   * Wakes a waiting poll, lets the caller commit through onRevoke, then signs off. Every call
   * returns the same promise, so the transport's close waits for a close already under way
   * instead of closing the file under an onRevoke that is still committing.
   */
  close(): Promise<void> {
    this.#closed ??= this.#shutDown();
    return this.#closed;
  }

  #fetch(maxRecords: number): TransportRecord[] {
    this.#assignNewTopics();
    const assigned = this.#assigned;
    if (assigned.length === 0) return [];
    const heads = this.#context.log.readHeads([...this.#topicsById.keys()]);
    const waiting = assigned.map((p) => Math.max(0, (heads.get(p.slot) ?? 0) - this.#positions.get(p.slot)!));
    const quotas = shareFairly(waiting, maxRecords, this.#cursor);
    const records: TransportRecord[] = [];
    for (let step = 0; step < assigned.length; step++) {
      const i = (this.#cursor + step) % assigned.length;
      if (quotas[i] === 0) continue;
      const { topic, partition, slot } = assigned[i]!;
      const batch = this.#context.log.readRange(topic, partition, this.#positions.get(slot)!, quotas[i]!);
      // Nothing at or after our position although the head is past it: retention removed those
      // records (a group that never committed, reading behind every other group). Skip the gap.
      const next = batch.length > 0 ? batch[batch.length - 1]!.offset + 1 : heads.get(slot)!;
      this.#positions.set(slot, next);
      records.push(...batch);
    }
    if (records.length > 0) this.#cursor = (this.#cursor + 1) % assigned.length;
    return records;
  }

  /** Takes over partitions of topics that did not exist yet when the consumer was created. */
  #assignNewTopics(): void {
    if (this.#topicsById.size === this.#topicNames.size) return;
    const fresh: TopicInfo[] = [];
    for (const name of this.#topicNames) {
      const topic = this.#context.log.findTopic(name);
      if (topic === undefined || this.#topicsById.has(topic.id)) continue;
      this.#topicsById.set(topic.id, topic);
      fresh.push(topic);
    }
    if (fresh.length === 0) return;
    this.#context.log.subscribe(
      this.#group,
      fresh.map((topic) => topic.id),
    );
    const committed = this.#context.log.committed(
      this.#group,
      fresh.map((topic) => topic.id),
    );
    const committedBySlot = new Map(committed.map((c) => [partitionSlot(c.topicId, c.partition), c.offset]));
    for (const topic of fresh) {
      for (let partition = 0; partition < topic.partitions; partition++) {
        const slot = partitionSlot(topic.id, partition);
        this.#assigned.push({ topic, partition, slot });
        this.#positions.set(slot, committedBySlot.get(slot) ?? 0);
      }
    }
  }

  async #shutDown(): Promise<void> {
    this.#closing.abort();
    try {
      await this.#revokeAll();
    } finally {
      this.#context.onClosed();
    }
  }

  async #revokeAll(): Promise<void> {
    if (this.#onRevoke === undefined || this.#assigned.length === 0) return;
    const partitions: TopicPartition[] = this.#assigned.map(({ topic, partition }) => ({
      topic: topic.name,
      partition,
    }));
    let timer: NodeJS.Timeout | undefined;
    const timeLimit = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, REVOKE_TIME_LIMIT_MS);
    });
    try {
      await Promise.race([this.#onRevoke(partitions), timeLimit]);
    } finally {
      clearTimeout(timer);
    }
  }
}
