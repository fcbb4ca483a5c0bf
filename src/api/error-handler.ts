import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorCode } from '../core/domain/errors.ts';
import { HeraldError, isHeraldError } from '../core/domain/errors.ts';
import { NoValidRecipientsError } from '../core/submission/submission-types.ts';
import { DEFAULT_RETRY_AFTER_MS } from '../core/submission/submit-messages.ts';
import { toValidationError } from './validation-errors.ts';

/**
 * One error shape for every answer that is not 2xx: `{ error: { code, message } }`, with the
 * status taken from the code's catalogue entry (docs/errors.md). Whatever a client sends, the
 * answer is a 4xx with a stable code: only a fault of herald itself is a 5xx, and it is logged.
 */

/** Fastify's own errors for bodies it cannot take, by their stable `code`. */
const FASTIFY_CODES: Readonly<Record<string, { code: ErrorCode; message: string }>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: {
    code: 'HERALD_INVALID_JSON',
    message: 'the request body is not valid JSON',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    code: 'HERALD_INVALID_JSON',
    message: 'the request body is empty; send a JSON object',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    code: 'HERALD_PAYLOAD_TOO_LARGE',
    message: 'the request body is larger than this server accepts',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'HERALD_UNSUPPORTED_MEDIA_TYPE',
    message: 'send the body as JSON with "Content-Type: application/json"',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: 'HERALD_MALFORMED_REQUEST',
    message: 'the Content-Length header does not match the body',
  },
  FST_ERR_BAD_URL: {
    code: 'HERALD_MALFORMED_REQUEST',
    message: 'the URL is not valid (bad percent-encoding)',
  },
};

/** Maps anything thrown while handling a request to the HeraldError the client is answered with. */
export function toHeraldError(error: unknown): HeraldError {
  if (isHeraldError(error)) {
    return error;
  }
  const fastifyError = error as Partial<FastifyError> | undefined;
  if (fastifyError?.validation) {
    return toValidationError(fastifyError.validation, fastifyError.validationContext);
  }
  const known = fastifyError?.code ? FASTIFY_CODES[fastifyError.code] : undefined;
  if (known) {
    return new HeraldError(known.code, known.message, { cause: error });
  }
  const status = fastifyError?.statusCode ?? 500;
  if (status === 404) {
    return new HeraldError('HERALD_NOT_FOUND', 'no such resource', { cause: error });
  }
  if (status >= 400 && status < 500) {
    // Any other client error Fastify detects (bad headers, unsupported encodings...): the client's
    // fault, so a 4xx, never a 500.
    return new HeraldError('HERALD_VALIDATION_FAILED', fastifyError?.message ?? 'the request is not valid', {
      cause: error,
    });
  }
  return new HeraldError('HERALD_INTERNAL', 'an unexpected error occurred; it has been logged', {
    cause: error,
  });
}

export function sendError(request: FastifyRequest, reply: FastifyReply, thrown: unknown): FastifyReply {
  const error = toHeraldError(thrown);
  const status = error.httpStatus;
  if (status >= 500) {
    const log = error.code === 'HERALD_INTERNAL' ? request.log.error : request.log.warn;
    log.call(request.log, { err: thrown, code: error.code }, 'request failed');
  } else {
    request.log.info({ code: error.code, field: error.field }, 'request rejected');
  }
  if (status === 503 || error.retryAfterMs !== undefined) {
    reply.header(
      'retry-after',
      String(Math.max(1, Math.ceil((error.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS) / 1000))),
    );
  }
  if (status === 401) {
    reply.header('www-authenticate', 'Bearer realm="herald"');
  }
  if (error.code === 'HERALD_UNSUPPORTED_CONTENT_ENCODING') {
    // RFC 9110 §15.5.16: a 415 for a content coding says which codings are accepted.
    reply.header('accept-encoding', 'identity');
  }
  const body: Record<string, unknown> = { error: error.toJSON() };
  if (error instanceof NoValidRecipientsError) {
    body.messages = error.messages;
  }
  return reply.status(status).send(body);
}

/** Installs the error and not-found handlers on the root instance (child plugins inherit them). */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => sendError(request, reply, error));
  app.setNotFoundHandler((request, reply) =>
    sendError(
      request,
      reply,
      new HeraldError('HERALD_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`),
    ),
  );
}
