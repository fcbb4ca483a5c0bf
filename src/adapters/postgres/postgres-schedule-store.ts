import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { ClaimedRecord, ParkedRecord, ScheduleStore } from '../../ports/schedule-store.ts';
import { runMigrations } from './migrations.ts';
import type { PostgresConnectionOptions } from './pg-connection.ts';
import { createPool, isPoolHealthy, quoteIdentifier, resolveConnection } from './pg-connection.ts';
import { guardPostgres } from './pg-failure.ts';
import { inTransaction } from './pg-transaction.ts';
import { SCHEDULE_MIGRATIONS } from './schedule-schema.ts';
import { StartOnce } from './start-once.ts';

/** Rows per INSERT statement of a park: bounded parameter arrays, however large the batch. */
const PARK_ROWS_PER_STATEMENT = 1_000;

/**
 * The production schedule store, in herald's PostgreSQL schema (durable, shared by every retry
 * worker). Why not Redis sorted sets: the Redis herald runs on keeps nothing on disk, so a Redis
 * restart would lose every deferred ad. Why not a job-queue library (pg-boss): it decides what is
 * due by the database clock and hands jobs out in creation order, while herald needs due order on
 * its own (injectable) clock, and the same contract from an embedded SQLite store.
 *
 * A park is one transaction however many rows it has (one statement per 1,000 rows, arrays expanded
 * by unnest); a claim is one statement, `FOR UPDATE SKIP LOCKED`, so concurrent releasers take
 * disjoint rows without waiting for each other.
 */
export class PostgresScheduleStore implements ScheduleStore {
  readonly #pool: Pool;
  readonly #table: string;
  readonly #start: StartOnce;

  constructor(options: PostgresConnectionOptions) {
    const connection = resolveConnection(options);
    this.#pool = createPool(connection);
    this.#table = `${quoteIdentifier(connection.schema)}.scheduled_records`;
    this.#start = new StartOnce(() => runMigrations(this.#pool, connection.schema, SCHEDULE_MIGRATIONS));
  }

  async park(records: readonly ParkedRecord[]): Promise<void> {
    if (records.length === 0) return;
    // One statement may not update a row twice: the last record of an id wins, as it would one by one.
    const unique = [...new Map(records.map((r) => [`${r.queue}\u0000${r.id}`, r])).values()];
    await this.#run('park', () =>
      inTransaction(this.#pool, async (client) => {
        for (let i = 0; i < unique.length; i += PARK_ROWS_PER_STATEMENT) {
          const chunk = unique.slice(i, i + PARK_ROWS_PER_STATEMENT);
          await client.query(
            `INSERT INTO ${this.#table} (queue, id, due_at, visible_at, value)
             SELECT queue, id, due_at, due_at, value
             FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[]) AS r (queue, id, due_at, value)
             ON CONFLICT (queue, id) DO UPDATE SET due_at = excluded.due_at,
               visible_at = excluded.visible_at, claim = NULL, value = excluded.value`,
            [
              chunk.map((r) => r.queue),
              chunk.map((r) => r.id),
              chunk.map((r) => r.dueAt),
              chunk.map((r) => r.value),
            ],
          );
        }
      }),
    );
  }

  async claimDue(queue: string, now: number, limit: number, leaseMs: number): Promise<ClaimedRecord[]> {
    if (limit <= 0) return [];
    const claim = randomUUID();
    const { rows } = await this.#run('claimDue', () =>
      this.#pool.query<{ id: string; due_at: string; value: string }>(
        `UPDATE ${this.#table} SET visible_at = $3, claim = $4
         WHERE queue = $1 AND id IN (
           SELECT id FROM ${this.#table} WHERE queue = $1 AND visible_at <= $2
           ORDER BY visible_at LIMIT $5 FOR UPDATE SKIP LOCKED
         )
         RETURNING id, due_at, value`,
        [queue, now, now + leaseMs, claim, limit],
      ),
    );
    return rows
      .map((row) => ({ queue, id: row.id, dueAt: Number(row.due_at), value: row.value, claim }))
      .sort((a, b) => a.dueAt - b.dueAt);
  }

  async remove(records: readonly ClaimedRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.#run('remove', () =>
      this.#pool.query(
        `DELETE FROM ${this.#table} t USING unnest($1::text[], $2::text[], $3::uuid[]) AS r (queue, id, claim)
         WHERE t.queue = r.queue AND t.id = r.id AND t.claim = r.claim`,
        [records.map((r) => r.queue), records.map((r) => r.id), records.map((r) => r.claim)],
      ),
    );
  }

  async count(queue: string): Promise<number> {
    const { rows } = await this.#run('count', () =>
      this.#pool.query<{ count: string }>(`SELECT count(*) AS count FROM ${this.#table} WHERE queue = $1`, [
        queue,
      ]),
    );
    return Number(rows[0]!.count);
  }

  healthy(): Promise<boolean> {
    return isPoolHealthy(this.#pool);
  }

  async close(): Promise<void> {
    if (!this.#pool.ended) await this.#pool.end();
  }

  /** Every call: set the schema up on first use, and map any driver failure to HERALD_UNAVAILABLE. */
  #run<T>(operation: string, work: () => Promise<T>): Promise<T> {
    return guardPostgres(operation, async () => {
      await this.#start.run();
      return work();
    });
  }
}
