import type { Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { HttpLimitsConfig } from '../config/env-config.ts';
import { HeraldError } from '../core/domain/errors.ts';
import type { Logger } from '../observability/logger.ts';
import { isProbe } from './probe-routes.ts';
import { createClientErrorHandler, writeErrorAndClose } from './raw-error-response.ts';

/**
 * The Node HTTP server under Fastify, hardened: time limits on receiving a request, a keep-alive
 * limit, a connection cap, and herald's error shape for what Node would answer on its own.
 *
 * Fastify sets `server.requestTimeout` to its own `requestTimeout` option, which defaults to 0
 * (off, where Node's default is 5 minutes): without this a client sending one byte every few
 * seconds held a connection and a parser for as long as it liked. Node checks the request and
 * headers limits every `connectionsCheckingInterval` (30 s by default), so that interval is set
 * from the limits: a limit overshoots by at most a quarter of itself (and at most a second).
 */
export function hardenedServerOptions(limits: HttpLimitsConfig, log: Logger) {
  const shortest = Math.min(limits.requestTimeoutMs, limits.headersTimeoutMs);
  return {
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    http: {
      headersTimeout: limits.headersTimeoutMs,
      connectionsCheckingInterval: Math.max(5, Math.min(1_000, Math.floor(shortest / 4))),
      // Node answers a missing Host with a bare 400 of its own; the onRequest check below answers it.
      requireHostHeader: false,
    },
    clientErrorHandler: createClientErrorHandler(log),
    // Fastify's 503 while closing has its own body shape; the onRequest check below answers instead.
    return503OnClosing: false,
  };
}

/** What Fastify options cannot say: the connection cap, and answers Node would give by itself. */
export function hardenServer(app: FastifyInstance, limits: HttpLimitsConfig, log: Logger): void {
  const server: Server = app.server;
  server.maxConnections = limits.maxConnections;
  let dropped = 0;
  server.on('drop', () => {
    dropped += 1;
    // 1, 2, 4, 8...: a flood of connections is reported without flooding the log.
    if ((dropped & (dropped - 1)) === 0) {
      log.warn({ dropped, maxConnections: limits.maxConnections }, 'connections over the cap were closed');
    }
  });
  // An unknown Expect (not 100-continue) would get Node's bare 417; RFC 9110 lets a server ignore it.
  server.on('checkExpectation', (request, response) => server.emit('request', request, response));
  // CONNECT would be closed without a word: it is a route herald does not have.
  server.on('connect', (request, socket) =>
    writeErrorAndClose(
      socket,
      new HeraldError('HERALD_NOT_FOUND', `no route ${request.method} (herald is not a proxy)`),
    ),
  );
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (request) => {
    if (closing && !isProbe(request)) {
      throw new HeraldError(
        'HERALD_UNAVAILABLE',
        'this herald is shutting down; retry, another instance answers',
      );
    }
    if (request.raw.httpVersion === '1.1' && request.headers.host === undefined) {
      throw new HeraldError('HERALD_MALFORMED_REQUEST', 'the Host header is missing (HTTP/1.1 requires it)');
    }
  });
}
