import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { HeraldError } from '../../core/domain/errors.ts';
import type { OutgoingRecord, TopicSpec, TransportRecord } from '../../ports/transport.ts';
import { inTransaction } from './in-transaction.ts';
import { partitionForKey } from './partition-for-key.ts';

export interface TopicInfo {
  readonly id: number;
  readonly name: string;
  readonly partitions: number;
}

export interface PartitionOffset {
  readonly topicId: number;
  readonly partition: number;
  readonly offset: number;
}

/** Map key of one partition of one topic. */
export function partitionSlot(topicId: number, partition: number): string {
  return `${topicId}:${partition}`;
}

interface RecordRow {
  log_offset: number;
  record_key: string;
  value: string;
  appended_at: number;
}

interface PartitionRow {
  topic_id: number;
  partition_no: number;
  next_offset: number;
}

/**
 * The SQL side of the embedded transport: every statement prepared once, callers deal in topics,
 * partitions and offsets. Synchronous on purpose (node:sqlite is); the adapter classes own the
 * async port surface, waiting and error mapping.
 */
export class TransportLog {
  readonly #db: DatabaseSync;
  readonly #topicsByName = new Map<string, TopicInfo>();
  readonly #statements: Record<
    | 'insertTopic'
    | 'selectTopic'
    | 'insertHead'
    | 'selectHead'
    | 'updateHead'
    | 'insertRecord'
    | 'selectRange'
    | 'selectHeads'
    | 'upsertCommit'
    | 'selectCommitted'
    | 'insertSubscription',
    StatementSync
  >;

  constructor(db: DatabaseSync) {
    this.#db = db;
    this.#statements = {
      insertTopic: db.prepare(
        'INSERT INTO topics (name, partitions) VALUES (?, ?) ON CONFLICT (name) DO NOTHING',
      ),
      selectTopic: db.prepare('SELECT topic_id, partitions FROM topics WHERE name = ?'),
      insertHead: db.prepare(
        'INSERT INTO partition_heads (topic_id, partition_no, next_offset) VALUES (?, ?, 0) ON CONFLICT DO NOTHING',
      ),
      selectHead: db.prepare(
        'SELECT next_offset FROM partition_heads WHERE topic_id = ? AND partition_no = ?',
      ),
      updateHead: db.prepare(
        'UPDATE partition_heads SET next_offset = ? WHERE topic_id = ? AND partition_no = ?',
      ),
      insertRecord: db.prepare(
        'INSERT INTO records (topic_id, partition_no, log_offset, record_key, value, appended_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      selectRange: db.prepare(
        `SELECT log_offset, record_key, value, appended_at FROM records
         WHERE topic_id = ? AND partition_no = ? AND log_offset >= ? ORDER BY log_offset LIMIT ?`,
      ),
      selectHeads: db.prepare(
        `SELECT topic_id, partition_no, next_offset FROM partition_heads
         WHERE topic_id IN (SELECT value FROM json_each(?))`,
      ),
      upsertCommit: db.prepare(
        `INSERT INTO group_offsets (group_id, topic_id, partition_no, next_offset) VALUES (?, ?, ?, ?)
         ON CONFLICT DO UPDATE SET next_offset = max(next_offset, excluded.next_offset)`,
      ),
      selectCommitted: db.prepare(
        `SELECT topic_id, partition_no, next_offset FROM group_offsets
         WHERE group_id = ? AND topic_id IN (SELECT value FROM json_each(?)) ORDER BY topic_id, partition_no`,
      ),
      insertSubscription: db.prepare(
        'INSERT INTO group_topics (group_id, topic_id) VALUES (?, ?) ON CONFLICT DO NOTHING',
      ),
    };
  }

  ensureTopics(specs: readonly TopicSpec[]): void {
    for (const spec of specs) {
      if (!Number.isInteger(spec.partitions) || spec.partitions < 1) {
        throw new HeraldError('HERALD_INTERNAL', `topic ${spec.name}: partitions must be a positive integer`);
      }
    }
    inTransaction(this.#db, () => {
      for (const spec of specs) {
        this.#statements.insertTopic.run(spec.name, spec.partitions);
        const topic = this.#loadTopic(spec.name)!;
        for (let partition = 0; partition < topic.partitions; partition++) {
          this.#statements.insertHead.run(topic.id, partition);
        }
      }
    });
  }

  /** The topic, from the cache or the file (another process may have created it). */
  findTopic(name: string): TopicInfo | undefined {
    return this.#topicsByName.get(name) ?? this.#loadTopic(name);
  }

  requireTopic(name: string): TopicInfo {
    const topic = this.findTopic(name);
    if (topic === undefined) {
      throw new HeraldError('HERALD_INTERNAL', `unknown topic ${name}: create it with ensureTopics first`);
    }
    return topic;
  }

  /** Appends the batch in one transaction; returns the names of the topics written. */
  append(records: readonly OutgoingRecord[], now: number): Set<string> {
    const topics = records.map((record) => this.requireTopic(record.topic));
    return inTransaction(this.#db, () => {
      const nextOffsets = new Map<string, PartitionOffset>();
      records.forEach((record, i) => {
        const topic = topics[i]!;
        const partition = partitionForKey(record.key, topic.partitions);
        const slot = partitionSlot(topic.id, partition);
        const offset = nextOffsets.get(slot)?.offset ?? this.#readHead(topic.id, partition);
        this.#statements.insertRecord.run(topic.id, partition, offset, record.key, record.value, now);
        nextOffsets.set(slot, { topicId: topic.id, partition, offset: offset + 1 });
      });
      for (const head of nextOffsets.values()) {
        this.#statements.updateHead.run(head.offset, head.topicId, head.partition);
      }
      return new Set(topics.map((topic) => topic.name));
    });
  }

  /** Next offset to be appended, per partition of the given topics, keyed by `partitionSlot`. */
  readHeads(topicIds: readonly number[]): Map<string, number> {
    const rows = this.#statements.selectHeads.all(JSON.stringify(topicIds)) as unknown as PartitionRow[];
    return new Map(rows.map((row) => [partitionSlot(row.topic_id, row.partition_no), row.next_offset]));
  }

  readRange(topic: TopicInfo, partition: number, fromOffset: number, limit: number): TransportRecord[] {
    const rows = this.#statements.selectRange.all(
      topic.id,
      partition,
      fromOffset,
      limit,
    ) as unknown as RecordRow[];
    return rows.map((row) => ({
      topic: topic.name,
      partition,
      offset: row.log_offset,
      key: row.record_key,
      value: row.value,
      timestamp: row.appended_at,
    }));
  }

  /**
   * Records that `group` reads these topics, so retention keeps their records for it even before
   * its first commit (see LogRetention).
   */
  subscribe(group: string, topicIds: readonly number[]): void {
    inTransaction(this.#db, () => {
      for (const topicId of new Set(topicIds)) this.#statements.insertSubscription.run(group, topicId);
    });
  }

  /**
   * Stores committed offsets; an offset lower than the stored one is ignored (never backwards).
   * A group that commits on a topic reads it: recorded too, should it not have subscribed first.
   */
  commit(group: string, offsets: readonly PartitionOffset[]): void {
    inTransaction(this.#db, () => {
      for (const { topicId, partition, offset } of offsets) {
        this.#statements.upsertCommit.run(group, topicId, partition, offset);
        this.#statements.insertSubscription.run(group, topicId);
      }
    });
  }

  committed(group: string, topicIds: readonly number[]): PartitionOffset[] {
    const rows = this.#statements.selectCommitted.all(
      group,
      JSON.stringify(topicIds),
    ) as unknown as PartitionRow[];
    return rows.map((row) => ({
      topicId: row.topic_id,
      partition: row.partition_no,
      offset: row.next_offset,
    }));
  }

  #readHead(topicId: number, partition: number): number {
    const row = this.#statements.selectHead.get(topicId, partition) as { next_offset: number } | undefined;
    if (row === undefined) {
      throw new HeraldError('HERALD_INTERNAL', `partition ${partition} of topic ${topicId} has no head row`);
    }
    return row.next_offset;
  }

  #loadTopic(name: string): TopicInfo | undefined {
    const row = this.#statements.selectTopic.get(name) as
      | { topic_id: number; partitions: number }
      | undefined;
    if (row === undefined) return undefined;
    const topic = { id: row.topic_id, name, partitions: row.partitions };
    this.#topicsByName.set(name, topic);
    return topic;
  }
}
