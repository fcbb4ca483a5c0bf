import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import type { HistoryStats, StatsGrouping, StatsQuery, StatsReport } from '../../ports/history-stats.ts';
import type { CodeRow, FigureCountColumns, FigureRow } from '../history-stats-report.ts';
import {
  buildReport,
  countsOf,
  eventWindow,
  interpolatedPercentile,
  PERCENTILES,
} from '../history-stats-report.ts';
import { HISTORY_MIGRATIONS } from './history-schema.ts';
import { answers, migrate, openDatabase } from './open-database.ts';
import { guardStore } from './store-failure.ts';

/**
 * The stats' own schema steps on the history file (tracked as their own component, so the store's
 * migrations stay as they are): messages by creation time, the one range every stats query reads.
 */
const STATS_MIGRATIONS: readonly string[] = [
  'CREATE INDEX IF NOT EXISTS messages_by_created_at ON messages (created_at)',
];

export interface SqliteHistoryStatsOptions {
  /** The embedded history store's file (history.db): stats read what it writes. */
  readonly path: string;
}

/** Each group's key, by grouping: what a message without a vendor, carrier or failure is counted as. */
const GROUP_KEY: Record<StatsGrouping, string> = {
  vendor: 'vendor',
  carrier: 'carrier',
  code: "coalesce(failure_code, 'none')",
};

/**
 * One row per message of the query, with what the figures need: its group, final status, failure
 * code (docs/stats.md), and its latencies from the first `sent` and `delivered` events. Every row
 * appears twice: once under its group, once under the totals (key NULL), because SQLite has no
 * GROUPING SETS.
 */
function perMessage(by: StatsGrouping): string {
  return `
    WITH m AS (
      SELECT message_id, status, created_at, coalesce(vendor, 'none') AS vendor,
        coalesce(carrier, 'unknown') AS carrier, error_code
      FROM messages
      WHERE created_at >= :from AND created_at < :to AND (:channel IS NULL OR channel = :channel)
    ), e AS (
      SELECT message_id,
        min(CASE WHEN status = 'sent' THEN at END) AS sent_at,
        min(CASE WHEN status = 'delivered' THEN at END) AS delivered_at
      FROM message_events
      WHERE message_id IN (SELECT message_id FROM m) AND status IN ('sent', 'delivered')
        AND at >= :eventsFrom AND at < :eventsTo
      GROUP BY message_id
    ), f AS (
      SELECT m.status, m.vendor, m.carrier,
        CASE
          WHEN m.status = 'undelivered' THEN coalesce(
            (SELECT x.result_code FROM message_events x
             WHERE x.message_id = m.message_id AND x.status = 'undelivered' AND x.result_code IS NOT NULL
               AND x.at >= :eventsFrom AND x.at < :eventsTo
             ORDER BY x.seq LIMIT 1),
            m.error_code, 'unknown')
          WHEN m.status IN ('failed', 'expired') THEN coalesce(m.error_code, 'unknown')
        END AS failure_code,
        CASE WHEN m.status IN ('sent', 'delivered', 'undelivered') AND e.sent_at IS NOT NULL
          THEN max(0, e.sent_at - m.created_at) END AS send_ms,
        CASE WHEN m.status = 'delivered' AND e.sent_at IS NOT NULL AND e.delivered_at IS NOT NULL
          THEN max(0, e.delivered_at - e.sent_at) END AS delivery_ms
      FROM m LEFT JOIN e ON e.message_id = m.message_id
    ), g AS MATERIALIZED (
      SELECT ${GROUP_KEY[by]} AS key, status, failure_code, send_ms, delivery_ms FROM f
      UNION ALL
      SELECT NULL, status, failure_code, send_ms, delivery_ms FROM f
    )`;
}

function figuresSql(by: StatsGrouping): string {
  return `${perMessage(by)}
    SELECT key, count(*) AS total,
      sum(status = 'sent') AS sent, sum(status = 'delivered') AS delivered,
      sum(status = 'undelivered') AS undelivered, sum(status = 'failed') AS failed,
      sum(status = 'expired') AS expired, sum(status = 'deferred') AS deferred,
      sum(status = 'duplicate') AS duplicate, sum(status = 'expanded') AS expanded,
      sum(status IN ('accepted', 'queued', 'sending', 'retrying')) AS in_flight,
      count(send_ms) AS send_count, count(delivery_ms) AS delivery_count
    FROM g GROUP BY key`;
}

function codesSql(by: StatsGrouping): string {
  return `${perMessage(by)}
    SELECT key, failure_code AS code, count(*) AS count FROM g
    WHERE failure_code IS NOT NULL GROUP BY key, failure_code`;
}

/**
 * Only the values percentile_cont would read: the two ranks around p * (n - 1) for each percentile,
 * picked by a window function, so the answer is a handful of rows per group however many messages
 * there are (SQLite sorts on its own, spilling to disk if it must).
 */
function ranksSql(by: StatsGrouping): string {
  const wanted = PERCENTILES.map(
    (p) => `CAST(${p} * (n - 1) AS INTEGER), CAST(${p} * (n - 1) AS INTEGER) + 1`,
  ).join(', ');
  return `${perMessage(by)}, lat AS (
      SELECT key, 'send' AS metric, send_ms AS v FROM g WHERE send_ms IS NOT NULL
      UNION ALL
      SELECT key, 'delivery', delivery_ms FROM g WHERE delivery_ms IS NOT NULL
    ), ranked AS (
      SELECT key, metric, v,
        row_number() OVER (PARTITION BY key, metric ORDER BY v) - 1 AS rank,
        count(*) OVER (PARTITION BY key, metric) AS n
      FROM lat
    )
    SELECT key, metric, rank, n, v FROM ranked WHERE rank IN (${wanted})`;
}

type FigureSqlRow = FigureCountColumns;

interface StatsStatements {
  readonly figures: StatementSync;
  readonly codes: StatementSync;
  readonly ranks: StatementSync;
}

interface RankRow {
  key: string | null;
  metric: 'send' | 'delivery';
  rank: number;
  n: number;
  v: number;
}

/**
 * Stats over the embedded history: a connection of its own to the history store's file (WAL lets
 * it read while the store writes), three statements in one read transaction so they see one
 * snapshot. The statements run synchronously, as every embedded store's do: the 31-day bound of
 * the API keeps them short on an embedded deployment's volumes.
 */
export class SqliteHistoryStats implements HistoryStats {
  readonly #db: DatabaseSync;
  /** Prepared on first use per grouping: a stats call is rare, a process may never make one. */
  readonly #prepared = new Map<StatsGrouping, StatsStatements>();

  constructor(options: SqliteHistoryStatsOptions) {
    // The store's own migrations: the stats may open the file first, and both see the same schema.
    this.#db = openDatabase({ path: options.path, component: 'history', migrations: HISTORY_MIGRATIONS });
    try {
      migrate(this.#db, 'history-stats', STATS_MIGRATIONS);
    } catch (error) {
      this.#db.close();
      throw error;
    }
  }

  async stats(query: StatsQuery): Promise<StatsReport> {
    return guardStore('stats', () => {
      const events = eventWindow(query);
      const params: Record<string, SQLInputValue> = {
        from: Math.trunc(query.from),
        to: Math.trunc(query.to),
        channel: query.channel ?? null,
        eventsFrom: Math.trunc(events.from),
        eventsTo: Math.trunc(events.to),
      };
      const sql = this.#statements(query.by);
      this.#db.exec('BEGIN');
      try {
        const figures = sql.figures.all(params) as unknown as FigureSqlRow[];
        const codes = sql.codes.all(params) as unknown as CodeRow[];
        const ranks = sql.ranks.all(params) as unknown as RankRow[];
        return buildReport(withPercentiles(figures, ranks), codes);
      } finally {
        this.#db.exec('COMMIT');
      }
    });
  }

  #statements(by: StatsGrouping): StatsStatements {
    let statements = this.#prepared.get(by);
    if (statements === undefined) {
      statements = {
        figures: this.#db.prepare(figuresSql(by)),
        codes: this.#db.prepare(codesSql(by)),
        ranks: this.#db.prepare(ranksSql(by)),
      };
      this.#prepared.set(by, statements);
    }
    return statements;
  }

  async healthy(): Promise<boolean> {
    return answers(this.#db);
  }

  async close(): Promise<void> {
    if (this.#db.isOpen) this.#db.close();
  }
}

function withPercentiles(figures: readonly FigureSqlRow[], ranks: readonly RankRow[]): FigureRow[] {
  const values = new Map<string, Map<number, number>>();
  for (const row of ranks) {
    const id = `${row.metric}\u0000${row.key ?? ''}\u0000${row.key === null}`;
    const byRank = values.get(id) ?? new Map<number, number>();
    byRank.set(row.rank, row.v);
    values.set(id, byRank);
  }
  const percentiles = (metric: RankRow['metric'], key: string | null, n: number): number[] | null => {
    const byRank = values.get(`${metric}\u0000${key ?? ''}\u0000${key === null}`);
    if (n === 0 || byRank === undefined) return null;
    return PERCENTILES.map((p) => interpolatedPercentile(p, n, (rank) => byRank.get(rank)!));
  };
  return figures.map((row) => ({
    key: row.key,
    ...countsOf(row),
    sendLatency: percentiles('send', row.key, row.send_count),
    deliveryLatency: percentiles('delivery', row.key, row.delivery_count),
  }));
}
