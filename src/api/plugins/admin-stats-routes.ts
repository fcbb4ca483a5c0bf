import type { HistoryStats } from '../../ports/history-stats.ts';
import { AUTHENTICATED_ERROR_RESPONSES, ErrorResponse } from '../schemas/common.ts';
import { StatsQuerystring, StatsResponse } from '../schemas/stats.ts';
import { parseStatsQuery } from '../stats-query.ts';
import type { TypeBoxApp } from '../typebox-app.ts';

const security = [{ bearerAuth: [] }];

/**
 * GET /admin/stats: sends, delivered ratio, failure codes and latency percentiles over history, per
 * vendor, carrier or failure code (docs/stats.md). The query is checked in preValidation, before the
 * schema, so every mistake gets its own code and a message saying what to send.
 */
export function registerStatsRoutes(app: TypeBoxApp, stats: Pick<HistoryStats, 'stats'>): void {
  app.get(
    '/stats',
    {
      schema: {
        summary: 'Message figures per vendor, carrier or failure code over a period of history',
        tags: ['admin'],
        security,
        querystring: StatsQuerystring,
        response: { 200: StatsResponse, ...AUTHENTICATED_ERROR_RESPONSES, 403: ErrorResponse },
      },
      preValidation: async (request) => {
        parseStatsQuery(request.query as Record<string, unknown>);
      },
    },
    async (request) => {
      const query = parseStatsQuery(request.query);
      const report = await stats.stats(query);
      return {
        from: new Date(query.from).toISOString(),
        to: new Date(query.to).toISOString(),
        channel: query.channel ?? null,
        by: query.by,
        // Copies: the port's answer is read-only, the reply's type is TypeBox's (mutable arrays).
        groups: report.groups.map((group) => ({ ...group, topFailureCodes: [...group.topFailureCodes] })),
        groupsLeftOff: report.groupsLeftOff,
        totals: { ...report.totals, topFailureCodes: [...report.totals.topFailureCodes] },
      };
    },
  );
}
