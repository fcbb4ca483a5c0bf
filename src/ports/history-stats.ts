import type { Channel } from '../core/domain/channel.ts';

/**
 * History stats port: what operators watch per vendor, per carrier and per failure code (issue 11),
 * read from the history the stores already keep. The read side only: it writes nothing, and each
 * adapter reads the database its history store writes. docs/stats.md fixes the semantics, which
 * every adapter computes alike (a contract suite checks them on one dataset).
 *
 * Deliberately left out: driver types, and any filter beyond time, channel and grouping (a console
 * with drill-downs comes later, over the same port).
 */
export const STATS_GROUPINGS = ['vendor', 'carrier', 'code'] as const;
export type StatsGrouping = (typeof STATS_GROUPINGS)[number];

export interface StatsQuery {
  /** Messages created at or after this (epoch ms)... */
  readonly from: number;
  /** ...and before this (epoch ms, exclusive). */
  readonly to: number;
  /** Only messages on this channel; every channel when absent. */
  readonly channel?: Channel;
  readonly by: StatsGrouping;
}

/** Messages by their final (current) status; `inFlight` is accepted, queued, sending or retrying. */
export interface StatusCounts {
  readonly sent: number;
  readonly delivered: number;
  readonly undelivered: number;
  readonly failed: number;
  readonly expired: number;
  readonly deferred: number;
  readonly duplicate: number;
  /** Pushes to users resolved into device messages (which are counted on their own). */
  readonly expanded: number;
  readonly inFlight: number;
}

/** Percentiles (linear interpolation, as PostgreSQL's percentile_cont) in ms, over `count` messages. */
export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
}

export interface FailureCodeCount {
  readonly code: string;
  readonly count: number;
}

export interface StatsFigures {
  readonly total: number;
  readonly statuses: StatusCounts;
  /** delivered / (delivered + undelivered); null when no message has a delivery result. */
  readonly deliveredRatio: number | null;
  /** Acceptance -> first `sent` event, of messages that were sent; null when none was. */
  readonly sendLatencyMs: LatencySummary | null;
  /** First `sent` event -> first `delivered` event, of delivered messages; null when none was. */
  readonly deliveryLatencyMs: LatencySummary | null;
  /** The most frequent failure codes (failed, expired, undelivered), most frequent first, at most TOP_FAILURE_CODES. */
  readonly topFailureCodes: readonly FailureCodeCount[];
}

export interface StatsGroup extends StatsFigures {
  /** The vendor id (`none`), the carrier (`unknown`), or the failure code (`none`), by `by`. */
  readonly key: string;
}

export interface StatsReport {
  /** Largest first (then by key), at most MAX_STATS_GROUPS. */
  readonly groups: readonly StatsGroup[];
  /** Groups beyond MAX_STATS_GROUPS, left out of `groups` (never out of `totals`). */
  readonly groupsLeftOff: number;
  /** The same figures over every message of the query, whatever its group. */
  readonly totals: StatsFigures;
}

/** At most this many failure codes per group, so an answer stays small whatever the vendors say. */
export const TOP_FAILURE_CODES = 10;
/** At most this many groups (only `by=code` can have more). */
export const MAX_STATS_GROUPS = 100;

export interface HistoryStats {
  stats(query: StatsQuery): Promise<StatsReport>;
  close(): Promise<void>;
}
