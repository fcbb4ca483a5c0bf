import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import Fastify from 'fastify';
import type { Logger } from '../observability/logger.ts';
import { installErrorHandling } from './error-handler.ts';
import { type HealthReport, healthApi } from './plugins/health.ts';
import { type MetricsSource, metricsApi } from './plugins/metrics-api.ts';

export interface OperationsAppOptions {
  readonly health: () => Promise<HealthReport>;
  readonly metrics: MetricsSource;
  readonly logger: Logger;
}

/**
 * The HTTP surface of a process without the API (`herald worker`, `herald retry-worker`): the same
 * /health and /metrics plugins the API registers, and nothing else, so a split deployment is
 * observable process by process. No auth, like the API's own: scrapers and probes call it.
 */
export async function buildOperationsApp(options: OperationsAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger.child({ component: 'operations' }) as FastifyBaseLogger,
  });
  installErrorHandling(app);
  await app.register(healthApi, { health: options.health });
  await app.register(metricsApi, { metrics: options.metrics });
  await app.ready();
  return app;
}
