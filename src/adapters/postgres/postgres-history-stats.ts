import type { Pool } from 'pg';
import type { HistoryStats, StatsQuery, StatsReport } from '../../ports/history-stats.ts';
import type { CodeRow, FigureCountColumns, FigureRow } from '../history-stats-report.ts';
import { buildReport, countsOf, eventWindow } from '../history-stats-report.ts';
import { HISTORY_MIGRATIONS } from './history-schema.ts';
import { timestamp } from './history-sql.ts';
import { historyStatsSql } from './history-stats-sql.ts';
import { runMigrations } from './migrations.ts';
import type { PostgresConnectionOptions } from './pg-connection.ts';
import { createPool, isPoolHealthy, resolveConnection } from './pg-connection.ts';
import { guardPostgres } from './pg-failure.ts';
import { inTransaction } from './pg-transaction.ts';
import { StartOnce } from './start-once.ts';

interface FigureSqlRow extends FigureCountColumns {
  is_total: boolean;
  send_latency: (number | string)[] | null;
  delivery_latency: (number | string)[] | null;
}

interface CodeSqlRow {
  key: string | null;
  is_total: boolean;
  code: string;
  count: number;
}

/**
 * Stats over the PostgreSQL history: a small pool of its own on the history store's schema (stats
 * are rare and may run for seconds; they must not take the writers' connections). Both statements
 * run in one read-only REPEATABLE READ transaction, so figures and codes come from one snapshot.
 * Reads the database only: history still in a worker's local spool (during an outage) is not
 * counted until it is written.
 */
export class PostgresHistoryStats implements HistoryStats {
  readonly #pool: Pool;
  readonly #schema: string;
  readonly #start: StartOnce;

  constructor(options: PostgresConnectionOptions) {
    const connection = resolveConnection({
      statementTimeoutMs: 30_000,
      ...options,
      pool: { max: options.pool?.max ?? 2 },
    });
    this.#pool = createPool(connection);
    this.#schema = connection.schema;
    // The tables must exist for a query to plan; the history store's migrations make them.
    this.#start = new StartOnce(() => runMigrations(this.#pool, connection.schema, HISTORY_MIGRATIONS));
  }

  async stats(query: StatsQuery): Promise<StatsReport> {
    return guardPostgres('stats', async () => {
      await this.#start.run();
      const sql = historyStatsSql(this.#schema, query.by);
      const events = eventWindow(query);
      const params = [
        timestamp(query.from),
        timestamp(query.to),
        query.channel ?? null,
        timestamp(events.from),
        timestamp(events.to),
      ];
      return inTransaction(this.#pool, async (client) => {
        await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
        // Partitions filled since their last ANALYZE look empty to the planner, which then joins
        // the per-message events by nested loop, re-aggregating them per message: over 10,000
        // fresh messages the query ran past the statement timeout (503). Hash joins instead: this
        // is a report over a bounded window, never a point look-up.
        await client.query('SET LOCAL enable_nestloop = off');
        const figures = await client.query<FigureSqlRow>(sql.figures, params);
        const codes = await client.query<CodeSqlRow>(sql.codes, params);
        return buildReport(figures.rows.map(toFigureRow), codes.rows.map(toCodeRow));
      });
    });
  }

  async healthy(): Promise<boolean> {
    return isPoolHealthy(this.#pool);
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}

function toFigureRow(row: FigureSqlRow): FigureRow {
  return {
    key: row.is_total ? null : row.key,
    ...countsOf(row),
    sendLatency: row.send_latency?.map(Number) ?? null,
    deliveryLatency: row.delivery_latency?.map(Number) ?? null,
  };
}

function toCodeRow(row: CodeSqlRow): CodeRow {
  return { key: row.is_total ? null : row.key, code: row.code, count: row.count };
}
