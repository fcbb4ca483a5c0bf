import type { FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * An operations probe (/health, /metrics), called every few seconds by a load balancer or a
     * scraper: its requests are logged at debug, not info, and it is still answered while the
     * server shuts down (health then reports unavailable, so the balancer moves away).
     */
    probe?: boolean;
  }
}

export function isProbe(request: FastifyRequest): boolean {
  return request.routeOptions.config.probe === true;
}
