import type { FastifyReply, FastifyRequest } from 'fastify';
import { LogController } from 'fastify';
import { isProbe } from './probe-routes.ts';

/**
 * Fastify's request log lines ("incoming request", "request completed") at debug for probe routes
 * (/health, /metrics), so a load balancer's probes and Prometheus' scrapes do not bury the info log.
 * Errors on those routes are logged as on any other.
 */
export class QuietProbesLogController extends LogController {
  override incomingRequest(request: FastifyRequest, reply: FastifyReply): void {
    if (!isProbe(request)) {
      super.incomingRequest(request, reply);
    } else if (!this.isLogDisabled(request)) {
      request.log.debug({ req: request }, 'incoming request');
    }
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (error || !isProbe(request)) {
      super.requestCompleted(error, request, reply);
    } else if (!this.isLogDisabled(request)) {
      reply.log.debug({ res: reply, responseTime: reply.elapsedTime }, 'request completed');
    }
  }
}
