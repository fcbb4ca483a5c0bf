import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { SimulatorStatsResponse } from '../schemas/operations.ts';

export interface SimulatorStats {
  readonly vendors: Record<
    string,
    { received: number; distinct: number; duplicates: number; idempotentReplays?: number }
  >;
  /** Per text vendor: the receipts it reported final, by outcome and carrier. */
  readonly receipts?: Readonly<
    Record<string, { delivered: Record<string, number>; undelivered: Record<string, number> }>
  >;
}

export interface SimulatorApiOptions {
  readonly simulatorStats: () => SimulatorStats;
}

/**
 * GET /_sim/stats: what each in-process vendor simulator received, per message id, so a test or a
 * drill can prove "delivered once" from outside herald. Registered only when simulators run in
 * this process; left out of the OpenAPI document because it is not part of the product.
 */
export const simulatorApi: FastifyPluginAsyncTypebox<SimulatorApiOptions> = async (app, options) => {
  app.get('/_sim/stats', { schema: { hide: true, response: { 200: SimulatorStatsResponse } } }, async () =>
    options.simulatorStats(),
  );
};
