import type { Command } from 'commander';
import { parseStatsQuery } from '../../api/stats-query.ts';
import { openHistoryStats } from '../../app/history-stats.ts';
import { isHeraldError } from '../../core/domain/errors.ts';
import type { LatencySummary, StatsFigures, StatsQuery, StatsReport } from '../../ports/history-stats.ts';
import { CliError } from '../cli-failure.ts';
import { loadEnvOrExit } from './start.ts';

interface StatsOptions {
  readonly from: string;
  readonly to: string;
  readonly channel?: string;
  readonly by: string;
  readonly json: boolean;
}

/**
 * `herald stats --from <time> --to <time> [--channel c] [--by vendor|carrier|code] [--json]`: the
 * figures of GET /admin/stats (docs/stats.md) read straight from this installation's history, for
 * an operator's shell without an admin key. The same query rules and codes as the API.
 */
export function registerStatsCommand(program: Command): void {
  program
    .command('stats')
    .description('messages per vendor, carrier or failure code over a period of history (docs/stats.md)')
    .requiredOption(
      '--from <time>',
      'messages created at or after this: ISO-8601 with a zone (2026-12-01T00:00:00+09:00)',
    )
    .requiredOption('--to <time>', 'messages created before this, at most 31 days after --from')
    .option('--channel <channel>', 'only this channel')
    .option('--by <grouping>', 'vendor, carrier or code', 'vendor')
    .option('--json', 'print the JSON answer of GET /admin/stats', false)
    .action(async (options: StatsOptions) => {
      const query = parsedQuery(options);
      const env = loadEnvOrExit();
      const stats = openHistoryStats(env, () => {});
      try {
        const report = await stats.stats(query);
        process.stdout.write(
          options.json ? `${JSON.stringify(withQuery(query, report), null, 2)}\n` : statsTable(query, report),
        );
      } finally {
        await stats.close();
      }
    });
}

function parsedQuery(options: StatsOptions): StatsQuery {
  try {
    return parseStatsQuery({
      from: options.from,
      to: options.to,
      by: options.by,
      ...(options.channel !== undefined && { channel: options.channel }),
    });
  } catch (error) {
    // A query to fix is a command line to fix: exit code 2, like any bad argument.
    if (isHeraldError(error)) throw new CliError(`${error.message} (${error.code})`, 2);
    throw error;
  }
}

function withQuery(query: StatsQuery, report: StatsReport) {
  return {
    from: new Date(query.from).toISOString(),
    to: new Date(query.to).toISOString(),
    channel: query.channel ?? null,
    by: query.by,
    ...report,
  };
}

/** One line per group and one for the totals, columns aligned; the top three failure codes. */
export function statsTable(query: StatsQuery, report: StatsReport): string {
  const header = [
    query.by,
    'total',
    'sent',
    'deliv',
    'undeliv',
    'failed',
    'expired',
    'other',
    'ratio',
    'send p50/p99 ms',
    'deliv p50/p99 ms',
    'top codes',
  ];
  const row = (key: string, f: StatsFigures) => {
    const s = f.statuses;
    const other = s.deferred + s.duplicate + s.expanded + s.inFlight;
    return [
      key,
      f.total,
      s.sent,
      s.delivered,
      s.undelivered,
      s.failed,
      s.expired,
      other,
      f.deliveredRatio === null ? '-' : `${(f.deliveredRatio * 100).toFixed(1)}%`,
      latency(f.sendLatencyMs),
      latency(f.deliveryLatencyMs),
      f.topFailureCodes
        .slice(0, 3)
        .map((c) => `${c.code}:${c.count}`)
        .join(' ') || '-',
    ].map(String);
  };
  const rows = [header, ...report.groups.map((g) => row(g.key, g)), row('(total)', report.totals)];
  const widths = header.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) =>
    r
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd(),
  );
  const period = `${new Date(query.from).toISOString()} .. ${new Date(query.to).toISOString()}`;
  const notes = [`${period}${query.channel ? `, ${query.channel}` : ', every channel'}`];
  if (report.groupsLeftOff > 0)
    notes.push(`${report.groupsLeftOff} smaller group(s) left out (counted in the total)`);
  return `${[...notes, ...lines].join('\n')}\n`;
}

function latency(summary: LatencySummary | null): string {
  return summary === null ? '-' : `${Math.round(summary.p50)}/${Math.round(summary.p99)}`;
}
