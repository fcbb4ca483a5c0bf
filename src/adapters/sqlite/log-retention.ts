import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { guardStore } from './store-failure.ts';

export interface FloorRow {
  topic_id: number;
  partition_no: number;
  next_offset: number;
}

interface AgeRow {
  log_offset: number;
  appended_at: number;
}

export interface PruneOptions {
  /** Records appended before this (epoch ms) may go. */
  readonly appendedBefore: number;
  /** Most records one DELETE removes: the longest the write lock is held. */
  readonly batchSize: number;
  /** Checked after every yield: true stops the run (the transport is closing). */
  readonly stopped: () => boolean;
}

/**
 * Retention of the embedded log. A record goes once every group reading its topic committed past
 * it AND it is older than the retention age; until then it stays, however old (nothing accepted is
 * lost to retention). A group reads a topic from its first subscription (`group_topics`), so a
 * group that has not committed yet holds the whole topic, and a topic no group reads is kept whole.
 *
 * Deletes go in batches of at most `batchSize` records, each its own short write transaction, and
 * the run yields to the event loop between batches, so appends and polls of this process (and
 * other processes' writes, through the busy timeout) never wait behind a large purge.
 *
 * Space: SQLite puts the pages a DELETE frees on its freelist and the next appends reuse them, so
 * the file stays at the high-water mark of what retention keeps (retention window + unconsumed
 * backlog) instead of growing with all traffic ever sent. No VACUUM: it rewrites the whole file
 * under an exclusive lock, which would stall appends. secure_delete (see SqliteTransport) zeroes
 * what a DELETE frees, so a pruned body does not linger in free pages.
 */
export class LogRetention {
  readonly #sql: Record<'floors' | 'oldest' | 'deleteThrough', StatementSync>;

  constructor(db: DatabaseSync) {
    this.#sql = {
      // Per partition of a topic some group reads: the lowest committed offset among its readers,
      // 0 for a reader without a commit on that partition.
      floors: db.prepare(
        `SELECT h.topic_id, h.partition_no, MIN(COALESCE(g.next_offset, 0)) AS next_offset
       FROM partition_heads h
       JOIN group_topics s ON s.topic_id = h.topic_id
       LEFT JOIN group_offsets g
         ON g.group_id = s.group_id AND g.topic_id = h.topic_id AND g.partition_no = h.partition_no
       GROUP BY h.topic_id, h.partition_no`,
      ),
      oldest: db.prepare(
        `SELECT log_offset, appended_at FROM records
       WHERE topic_id = ? AND partition_no = ? AND log_offset < ? ORDER BY log_offset LIMIT ?`,
      ),
      deleteThrough: db.prepare(
        'DELETE FROM records WHERE topic_id = ? AND partition_no = ? AND log_offset <= ?',
      ),
    };
  }

  /**
   * Deletes everything retention allows, batch by batch; resolves with the number deleted. The
   * first batch runs before the first yield: a caller that appends right after sees the rest wait.
   */
  async prune(options: PruneOptions): Promise<number> {
    let deleted = 0;
    const floors = guardStore('retention', () => this.#sql.floors.all() as unknown as FloorRow[]);
    for (const floor of floors) {
      if (floor.next_offset <= 0) continue;
      for (;;) {
        if (options.stopped()) return deleted;
        const batch = guardStore('retention', () =>
          this.deleteBatch(floor, options.appendedBefore, options.batchSize),
        );
        deleted += batch.deleted;
        await yieldToEventLoop();
        if (!batch.more) break;
      }
    }
    return deleted;
  }

  /**
   * Deletes the partition's oldest records below the floor, at most `limit`, stopping at the
   * first one not old enough (appends are in time order: what follows it is newer still).
   */
  deleteBatch(floor: FloorRow, appendedBefore: number, limit: number): { deleted: number; more: boolean } {
    const rows = this.#sql.oldest.all(
      floor.topic_id,
      floor.partition_no,
      floor.next_offset,
      limit,
    ) as unknown as AgeRow[];
    let last = -1;
    for (const row of rows) {
      if (row.appended_at >= appendedBefore)
        return { deleted: this.#deleteThrough(floor, last), more: false };
      last = row.log_offset;
    }
    return { deleted: this.#deleteThrough(floor, last), more: rows.length === limit };
  }

  #deleteThrough(floor: FloorRow, lastOffset: number): number {
    if (lastOffset < 0) return 0;
    // Everything below `lastOffset` is gone already (batches go oldest first): this is the batch.
    return Number(this.#sql.deleteThrough.run(floor.topic_id, floor.partition_no, lastOffset).changes);
  }
}
