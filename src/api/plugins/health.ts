import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { VendorKind } from '../../ports/vendor.ts';
import { HealthResponse } from '../schemas/operations.ts';

export interface HealthReport {
  readonly ready: boolean;
  readonly components: Record<string, { ok: boolean; detail?: string }>;
  readonly vendors?: Readonly<Record<string, VendorKind>>;
}

export interface HealthOptions {
  readonly health: () => Promise<HealthReport>;
}

/**
 * GET /health: 200 when herald can accept and persist messages, 503 otherwise, with each component's
 * state so an operator sees which one is down. No auth: load balancers and orchestrators call it.
 */
export const healthApi: FastifyPluginAsyncTypebox<HealthOptions> = async (app, options) => {
  app.get(
    '/health',
    {
      config: { probe: true },
      schema: {
        summary: 'Readiness with per-component status',
        tags: ['operations'],
        response: { 200: HealthResponse, 503: HealthResponse },
      },
    },
    async (request, reply) => {
      let report: HealthReport;
      try {
        report = await options.health();
      } catch (error) {
        request.log.warn({ err: error }, 'health check failed');
        const detail = error instanceof Error ? error.message : String(error);
        report = { ready: false, components: { health: { ok: false, detail } } };
      }
      return reply.status(report.ready ? 200 : 503).send({
        status: report.ready ? 'ok' : 'unavailable',
        components: report.components,
        ...(report.vendors && { vendors: report.vendors }),
      });
    },
  );
};
