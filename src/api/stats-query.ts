import { CHANNELS, isChannel } from '../core/domain/channel.ts';
import { HeraldError } from '../core/domain/errors.ts';
import type { StatsGrouping, StatsQuery } from '../ports/history-stats.ts';
import { STATS_GROUPINGS } from '../ports/history-stats.ts';

/** The longest period one stats query may cover: a month, whatever its length. */
export const MAX_STATS_SPAN_MS = 31 * 86_400_000;

/**
 * An ISO-8601 time with a zone designator: a time without one would be read in the server's zone,
 * and an operator in Seoul means +09:00 where the server may run in UTC.
 */
const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

/**
 * GET /admin/stats's query, checked with stable codes (docs/errors.md) before the route's schema
 * sees it: a period the client can fix (HERALD_STATS_RANGE_INVALID), a channel, a grouping.
 */
export function parseStatsQuery(query: Readonly<Record<string, unknown>>): StatsQuery {
  const from = parseTime('from', query.from);
  const to = parseTime('to', query.to);
  if (to <= from) {
    throw new HeraldError('HERALD_STATS_RANGE_INVALID', 'to must be after from', { field: 'to' });
  }
  if (to - from > MAX_STATS_SPAN_MS) {
    throw new HeraldError(
      'HERALD_STATS_RANGE_INVALID',
      'from and to are more than 31 days apart; ask for a shorter period (split a longer one)',
      { field: 'to' },
    );
  }
  const channel = query.channel;
  if (channel !== undefined && !isChannel(channel)) {
    throw new HeraldError('HERALD_UNKNOWN_CHANNEL', `channel must be one of ${CHANNELS.join(', ')}`, {
      field: 'channel',
    });
  }
  const by = query.by ?? 'vendor';
  if (!isGrouping(by)) {
    throw new HeraldError(
      'HERALD_STATS_GROUPING_INVALID',
      `by must be one of ${STATS_GROUPINGS.join(', ')}`,
      {
        field: 'by',
      },
    );
  }
  return { from, to, by, ...(channel !== undefined && { channel }) };
}

function parseTime(field: 'from' | 'to', value: unknown): number {
  const problem = (what: string) =>
    new HeraldError(
      'HERALD_STATS_RANGE_INVALID',
      `${field} ${what}; send an ISO-8601 time with a zone, e.g. 2026-12-01T00:00:00+09:00`,
      { field },
    );
  if (value === undefined || value === '') throw problem('is required');
  if (typeof value !== 'string') throw problem('must be given once');
  // A `+09:00` typed into a URL unencoded arrives as ` 09:00` (form decoding): nothing else puts a
  // space there, so it is read as the `+` it was.
  const text = value.replace(/ (\d{2}:\d{2})$/, '+$1');
  const match = ISO_TIME.exec(text);
  if (!match) throw problem('is not an ISO-8601 time with a zone');
  const [, year, month, day, hour, minute, second, zoneHour, zoneMinute] = match.map(Number);
  // Date.parse rolls 2026-02-30 over to March 2nd: a date that does not exist is refused instead.
  const calendar = new Date(Date.UTC(year!, month! - 1, day!));
  const exists =
    calendar.getUTCFullYear() === year &&
    calendar.getUTCMonth() === month! - 1 &&
    calendar.getUTCDate() === day;
  const inRange =
    hour! <= 23 &&
    minute! <= 59 &&
    (Number.isNaN(second) || second! <= 59) &&
    (Number.isNaN(zoneHour) || (zoneHour! <= 23 && zoneMinute! <= 59));
  const time = Date.parse(text);
  if (!exists || !inRange || Number.isNaN(time)) throw problem('is not a time that exists');
  return time;
}

function isGrouping(value: unknown): value is StatsGrouping {
  return typeof value === 'string' && (STATS_GROUPINGS as readonly string[]).includes(value);
}
