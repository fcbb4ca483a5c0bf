import { Type } from 'typebox';
import { CHANNELS } from '../../core/domain/channel.ts';
import { STATS_GROUPINGS } from '../../ports/history-stats.ts';

const TIME = 'ISO-8601 time with a zone (Z or +09:00)';

/**
 * GET /admin/stats's query, as documented. The route checks it first with its own codes
 * (stats-query.ts), so what reaches this schema already passes it.
 */
export const StatsQuerystring = Type.Object({
  from: Type.String({
    description: `Messages created at or after this: ${TIME}`,
    examples: ['2026-12-01T00:00:00+09:00'],
  }),
  to: Type.String({
    description: `Messages created before this (exclusive): ${TIME}, after from, at most 31 days later`,
    examples: ['2026-12-02T00:00:00+09:00'],
  }),
  channel: Type.Optional(
    Type.Enum(CHANNELS, { type: 'string', description: 'Only this channel; all when absent' }),
  ),
  by: Type.Optional(
    Type.Enum(STATS_GROUPINGS, {
      type: 'string',
      default: 'vendor',
      description: 'Group by the vendor that sent, the carrier of the delivery result, or the failure code',
    }),
  ),
});

const Latency = Type.Union([
  Type.Object({
    count: Type.Integer({ description: 'Messages measured' }),
    p50: Type.Number(),
    p90: Type.Number(),
    p99: Type.Number(),
  }),
  Type.Null(),
]);

const Figures = {
  total: Type.Integer({ description: 'Messages created in [from, to)' }),
  statuses: Type.Object(
    {
      sent: Type.Integer(),
      delivered: Type.Integer(),
      undelivered: Type.Integer(),
      failed: Type.Integer(),
      expired: Type.Integer(),
      deferred: Type.Integer(),
      duplicate: Type.Integer(),
      expanded: Type.Integer(),
      inFlight: Type.Integer({ description: 'accepted, queued, sending or retrying' }),
    },
    { description: 'Messages by their current (final) status' },
  ),
  deliveredRatio: Type.Union([Type.Number(), Type.Null()], {
    description: 'delivered / (delivered + undelivered); null without delivery results',
  }),
  sendLatencyMs: { ...Latency, description: 'Acceptance to first sent event, ms (percentile_cont)' },
  deliveryLatencyMs: { ...Latency, description: 'First sent to first delivered event, ms (percentile_cont)' },
  topFailureCodes: Type.Array(Type.Object({ code: Type.String(), count: Type.Integer() }), {
    description: 'Most frequent failure codes of failed, expired and undelivered messages (at most 10)',
  }),
};

export const StatsResponse = Type.Object({
  from: Type.String({ description: 'The period asked for, in UTC' }),
  to: Type.String(),
  channel: Type.Union([Type.Enum(CHANNELS, { type: 'string' }), Type.Null()]),
  by: Type.Enum(STATS_GROUPINGS, { type: 'string' }),
  groups: Type.Array(
    Type.Object({
      key: Type.String({ description: 'Vendor id (none), carrier (unknown) or failure code (none)' }),
      ...Figures,
    }),
    { description: 'Largest first, at most 100' },
  ),
  groupsLeftOff: Type.Integer({ description: 'Groups beyond the first 100, counted in totals only' }),
  totals: Type.Object(Figures),
});
