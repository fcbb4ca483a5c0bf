/**
 * Transport port: a partitioned, durable log with consumer groups (Kafka semantics).
 *
 * Deliberately left out: driver types, connection objects, transactions and exactly-once.
 * herald runs at-least-once and makes sends idempotent itself (dedup store), so the port only
 * needs produce, poll and commit. Offsets are numbers (a single partition will not pass 2^53).
 */
export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
}

export interface OutgoingRecord {
  readonly topic: string;
  /** Partitioning key: records with the same key land in the same partition, in order. */
  readonly key: string;
  readonly value: string;
}

export interface TransportRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: string;
  readonly value: string;
  /** Epoch ms when the record was appended. */
  readonly timestamp: number;
}

/** The offset to commit is the next one to read (Kafka convention): last finished + 1. */
export interface CommitOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

export interface ConsumerOptions {
  readonly group: string;
  readonly topics: readonly string[];
  /**
   * Called when partitions are taken away (rebalance, close). The consumer waits for the returned
   * promise (bounded by the adapter) so the caller can commit finished work of those partitions.
   */
  readonly onRevoke?: (partitions: readonly TopicPartition[]) => Promise<void>;
}

export interface Consumer {
  /**
   * Up to `maxRecords` records from the assigned partitions, in offset order per partition.
   * Resolves with an empty array after `maxWaitMs` when nothing arrives, or at once when `signal` aborts.
   */
  poll(maxRecords: number, maxWaitMs: number, signal?: AbortSignal): Promise<TransportRecord[]>;
  commit(offsets: readonly CommitOffset[]): Promise<void>;
  /** Committed offsets of this consumer's group (next offset to read), for lag and tests. */
  committed(): Promise<CommitOffset[]>;
  close(): Promise<void>;
}

export interface Transport {
  /** Creates missing topics with the given partition count; existing topics are left as they are. */
  ensureTopics(topics: readonly TopicSpec[]): Promise<void>;
  /** Resolves when every record is durably appended; rejects with HERALD_UNAVAILABLE otherwise. */
  produce(records: readonly OutgoingRecord[]): Promise<void>;
  consumer(options: ConsumerOptions): Promise<Consumer>;
  /** Whether the transport can persist right now (for /health and 503 answers). */
  healthy(): Promise<boolean>;
  close(): Promise<void>;
}
