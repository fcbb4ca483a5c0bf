import type { StatsGrouping } from '../../ports/history-stats.ts';
import { PERCENTILES } from '../history-stats-report.ts';
import { quoteIdentifier } from './pg-connection.ts';

/** Each group's key, by grouping: what a message without a vendor, carrier or failure is counted as. */
const GROUP_KEY: Record<StatsGrouping, string> = {
  vendor: 'vendor',
  carrier: 'carrier',
  code: "coalesce(failure_code, 'none')",
};

/**
 * One row per message of the query with its group, final status, failure code and latencies
 * (docs/stats.md), the same rows the SQLite adapter builds. Both tables are bounded by their
 * partition column ($1-$2 on messages.created_at, $4-$5 on message_events.at), so PostgreSQL reads
 * only the partitions of the period asked for and of its event window. Latencies are whole ms from
 * EXTRACT's exact numeric, as the embedded store keeps them.
 */
function perMessage(t: (table: string) => string, by: StatsGrouping): string {
  return `
    WITH m AS (
      SELECT message_id, status, created_at, coalesce(vendor, 'none') AS vendor,
        coalesce(carrier, 'unknown') AS carrier, error_code
      FROM ${t('messages')}
      WHERE created_at >= $1 AND created_at < $2 AND ($3::text IS NULL OR channel = $3)
    ), e AS (
      SELECT message_id,
        min(at) FILTER (WHERE status = 'sent') AS sent_at,
        min(at) FILTER (WHERE status = 'delivered') AS delivered_at,
        (array_agg(result_code ORDER BY seq)
          FILTER (WHERE status = 'undelivered' AND result_code IS NOT NULL))[1] AS undelivered_code
      FROM ${t('message_events')}
      WHERE at >= $4 AND at < $5 AND status IN ('sent', 'delivered', 'undelivered')
        AND message_id IN (SELECT message_id FROM m)
      GROUP BY message_id
    ), f AS (
      SELECT m.status, m.vendor, m.carrier,
        CASE
          WHEN m.status = 'undelivered' THEN coalesce(e.undelivered_code, m.error_code, 'unknown')
          WHEN m.status IN ('failed', 'expired') THEN coalesce(m.error_code, 'unknown')
        END AS failure_code,
        CASE WHEN m.status IN ('sent', 'delivered', 'undelivered') AND e.sent_at IS NOT NULL
          THEN greatest(0, round((extract(epoch FROM e.sent_at) - extract(epoch FROM m.created_at)) * 1000))
        END::double precision AS send_ms,
        CASE WHEN m.status = 'delivered' AND e.sent_at IS NOT NULL AND e.delivered_at IS NOT NULL
          THEN greatest(0, round((extract(epoch FROM e.delivered_at) - extract(epoch FROM e.sent_at)) * 1000))
        END::double precision AS delivery_ms
      FROM m LEFT JOIN e ON e.message_id = m.message_id
    ), g AS (
      SELECT ${GROUP_KEY[by]} AS key, status, failure_code, send_ms, delivery_ms FROM f
    )`;
}

const PERCENTILE_ARRAY = `ARRAY[${PERCENTILES.join(', ')}]::double precision[]`;

export interface HistoryStatsSql {
  /** Counts and percentiles per group, and (is_total) over all of them. */
  readonly figures: string;
  /** Failure codes per group, and (is_total) over all of them. */
  readonly codes: string;
}

export function historyStatsSql(schema: string, by: StatsGrouping): HistoryStatsSql {
  const t = (table: string) => `${quoteIdentifier(schema)}.${table}`;
  const base = perMessage(t, by);
  return {
    figures: `${base}
      SELECT key, grouping(key) = 1 AS is_total, count(*)::integer AS total,
        count(*) FILTER (WHERE status = 'sent')::integer AS sent,
        count(*) FILTER (WHERE status = 'delivered')::integer AS delivered,
        count(*) FILTER (WHERE status = 'undelivered')::integer AS undelivered,
        count(*) FILTER (WHERE status = 'failed')::integer AS failed,
        count(*) FILTER (WHERE status = 'expired')::integer AS expired,
        count(*) FILTER (WHERE status = 'deferred')::integer AS deferred,
        count(*) FILTER (WHERE status = 'duplicate')::integer AS duplicate,
        count(*) FILTER (WHERE status = 'expanded')::integer AS expanded,
        count(*) FILTER (WHERE status IN ('accepted', 'queued', 'sending', 'retrying'))::integer AS in_flight,
        count(send_ms)::integer AS send_count,
        percentile_cont(${PERCENTILE_ARRAY}) WITHIN GROUP (ORDER BY send_ms) AS send_latency,
        count(delivery_ms)::integer AS delivery_count,
        percentile_cont(${PERCENTILE_ARRAY}) WITHIN GROUP (ORDER BY delivery_ms) AS delivery_latency
      FROM g GROUP BY GROUPING SETS ((key), ())`,
    codes: `${base}
      SELECT key, grouping(key) = 1 AS is_total, failure_code AS code, count(*)::integer AS count
      FROM g WHERE failure_code IS NOT NULL
      GROUP BY GROUPING SETS ((key, failure_code), (failure_code))`,
  };
}
