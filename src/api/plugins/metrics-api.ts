import type { FastifyPluginAsync } from 'fastify';

/** What the metrics endpoint needs from a metrics registry (prom-client's Registry fits). */
export interface MetricsSource {
  readonly registry: { readonly contentType: string; metrics(): Promise<string> };
}

export interface MetricsApiOptions {
  readonly metrics: MetricsSource;
}

/** GET /metrics in Prometheus text format, for the scraper; no auth, no personal data in it. */
export const metricsApi: FastifyPluginAsync<MetricsApiOptions> = async (app, options) => {
  app.get('/metrics', { schema: { hide: true }, config: { probe: true } }, async (_request, reply) => {
    const text = await options.metrics.registry.metrics();
    return reply.header('content-type', options.metrics.registry.contentType).send(text);
  });
};
