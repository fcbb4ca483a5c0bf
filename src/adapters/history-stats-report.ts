import type {
  FailureCodeCount,
  LatencySummary,
  StatsFigures,
  StatsGroup,
  StatsQuery,
  StatsReport,
} from '../ports/history-stats.ts';
import { MAX_STATS_GROUPS, TOP_FAILURE_CODES } from '../ports/history-stats.ts';

/**
 * What both history stats adapters share: the event window, the percentile rule, and the shape of
 * the answer built from their rows. Each adapter only counts and ranks in its own SQL; everything
 * that must come out the same in both (ordering, bounds, rounding) happens here once.
 */

/** Events this long before `from` still count (a worker's clock a little behind the API's). */
export const EVENT_LEAD_MS = 3_600_000;
/**
 * Events up to this long after `to` count: covers the vendors' delivery timeouts (NHN LMS/MMS: 80 h)
 * and a retry's expiry, while keeping PostgreSQL's scan to the event partitions that can matter.
 */
export const EVENT_HORIZON_MS = 7 * 86_400_000;

export const PERCENTILES = [0.5, 0.9, 0.99] as const;

export function eventWindow(query: StatsQuery): { readonly from: number; readonly to: number } {
  return { from: query.from - EVENT_LEAD_MS, to: query.to + EVENT_HORIZON_MS };
}

/** The count columns both adapters' figure queries answer per group, as the SQL names them. */
export interface FigureCountColumns {
  key: string | null;
  total: number;
  sent: number;
  delivered: number;
  undelivered: number;
  failed: number;
  expired: number;
  deferred: number;
  duplicate: number;
  expanded: number;
  in_flight: number;
  send_count: number;
  delivery_count: number;
}

/** A figure row's counts in the report's names; the adapter adds the key and its latencies. */
export function countsOf(row: FigureCountColumns) {
  return {
    total: row.total,
    sent: row.sent,
    delivered: row.delivered,
    undelivered: row.undelivered,
    failed: row.failed,
    expired: row.expired,
    deferred: row.deferred,
    duplicate: row.duplicate,
    expanded: row.expanded,
    inFlight: row.in_flight,
    sendCount: row.send_count,
    deliveryCount: row.delivery_count,
  };
}

/** One group's counts and latency percentiles, as an adapter reads them; `key` null is the totals. */
export interface FigureRow {
  readonly key: string | null;
  readonly total: number;
  readonly sent: number;
  readonly delivered: number;
  readonly undelivered: number;
  readonly failed: number;
  readonly expired: number;
  readonly deferred: number;
  readonly duplicate: number;
  readonly expanded: number;
  readonly inFlight: number;
  readonly sendLatency: readonly number[] | null;
  readonly sendCount: number;
  readonly deliveryLatency: readonly number[] | null;
  readonly deliveryCount: number;
}

/** How many failed, expired or undelivered messages of a group (null: the totals) ended with `code`. */
export interface CodeRow {
  readonly key: string | null;
  readonly code: string;
  readonly count: number;
}

/**
 * percentile_cont's rule (PostgreSQL's own arithmetic): the value at fractional rank p * (n - 1)
 * of the sorted values, interpolated linearly between its two neighbours. `at(rank)` reads the
 * value at a 0-based rank.
 */
export function interpolatedPercentile(p: number, n: number, at: (rank: number) => number): number {
  const position = p * (n - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const first = at(lower);
  if (upper === lower) return first;
  return first + (at(upper) - first) * (position - lower);
}

/** Builds the answer; groups largest first, then by key, so both adapters answer alike. */
export function buildReport(figures: readonly FigureRow[], codes: readonly CodeRow[]): StatsReport {
  const codesByKey = new Map<string | null, CodeRow[]>();
  for (const row of codes) {
    const list = codesByKey.get(row.key) ?? [];
    list.push(row);
    codesByKey.set(row.key, list);
  }
  const toFigures = (row: FigureRow): StatsFigures => ({
    total: row.total,
    statuses: {
      sent: row.sent,
      delivered: row.delivered,
      undelivered: row.undelivered,
      failed: row.failed,
      expired: row.expired,
      deferred: row.deferred,
      duplicate: row.duplicate,
      expanded: row.expanded,
      inFlight: row.inFlight,
    },
    deliveredRatio:
      row.delivered + row.undelivered === 0 ? null : row.delivered / (row.delivered + row.undelivered),
    sendLatencyMs: summary(row.sendCount, row.sendLatency),
    deliveryLatencyMs: summary(row.deliveryCount, row.deliveryLatency),
    topFailureCodes: topCodes(codesByKey.get(row.key) ?? []),
  });
  const groups: StatsGroup[] = figures
    .filter((row): row is FigureRow & { key: string } => row.key !== null)
    .map((row) => ({ key: row.key, ...toFigures(row) }))
    .sort((a, b) => b.total - a.total || compareText(a.key, b.key));
  const totalsRow = figures.find((row) => row.key === null);
  return {
    groups: groups.slice(0, MAX_STATS_GROUPS),
    groupsLeftOff: Math.max(0, groups.length - MAX_STATS_GROUPS),
    totals: totalsRow ? toFigures(totalsRow) : toFigures(EMPTY_TOTALS),
  };
}

const EMPTY_TOTALS: FigureRow = {
  key: null,
  total: 0,
  sent: 0,
  delivered: 0,
  undelivered: 0,
  failed: 0,
  expired: 0,
  deferred: 0,
  duplicate: 0,
  expanded: 0,
  inFlight: 0,
  sendLatency: null,
  sendCount: 0,
  deliveryLatency: null,
  deliveryCount: 0,
};

function summary(count: number, values: readonly number[] | null): LatencySummary | null {
  if (count === 0 || values === null) return null;
  const [p50, p90, p99] = values.map(roundToMicros);
  return { count, p50: p50!, p90: p90!, p99: p99! };
}

/** Microsecond precision: hides the last-bit noise of float arithmetic, keeps everything a ms clock gives. */
function roundToMicros(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

function topCodes(rows: readonly CodeRow[]): FailureCodeCount[] {
  return [...rows]
    .sort((a, b) => b.count - a.count || compareText(a.code, b.code))
    .slice(0, TOP_FAILURE_CODES)
    .map(({ code, count }) => ({ code, count }));
}

/** Code-point order, the same in every locale (what `ORDER BY ... COLLATE "C"` gives). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
