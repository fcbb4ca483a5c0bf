import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ConnectionError } from 'fastify';
import { HeraldError } from '../core/domain/errors.ts';
import type { Logger } from '../observability/logger.ts';

/**
 * Answers for what Node's HTTP parser refuses before Fastify sees a request (a header over the
 * size limit, a bare CR or LF, `Content-Length: -1`, an unknown method, a URL with control
 * characters, a client too slow to send its request). Without this Node or Fastify would answer in
 * their own shapes; with it every error a client can meet has herald's `{ error: { code, message } }`.
 */

/** Node's `maxHeaderSize` default: request line and headers together. */
const MAX_HEADER_BYTES = 16 * 1024;

/** The answer for a connection-level error, or undefined when there is nobody to answer (a reset). */
export function toClientErrorAnswer(error: ConnectionError & { reason?: string }): HeraldError | undefined {
  switch (error.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new HeraldError(
        'HERALD_REQUEST_TIMEOUT',
        'the request (headers and body) did not arrive within the time limit; send it without pauses',
      );
    case 'HPE_HEADER_OVERFLOW':
      return new HeraldError(
        'HERALD_HEADERS_TOO_LARGE',
        `the request line and headers are larger than ${MAX_HEADER_BYTES} bytes`,
      );
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return new HeraldError('HERALD_PAYLOAD_TOO_LARGE', 'the chunk extensions of the body are too large');
  }
  if (!error.code?.startsWith('HPE_')) return undefined;
  // Node's reason names the fault without echoing the request ("Invalid header value char").
  const reason = error.reason ? ` (${error.reason.toLowerCase()})` : '';
  return new HeraldError(
    'HERALD_MALFORMED_REQUEST',
    `the request is not valid HTTP/1.1${reason}: send "METHOD /path HTTP/1.1", headers without bare CR, ` +
      'LF or control characters, and at most one non-negative Content-Length',
  );
}

/**
 * Fastify's `clientErrorHandler`: writes the answer on the raw socket and closes the connection
 * (after a parse error the rest of the stream cannot be trusted). Logs the codes only: the raw
 * packet Node attaches to the error may hold an API key.
 */
export function createClientErrorHandler(log: Logger): (error: ConnectionError, socket: Socket) => void {
  return (error, socket) => {
    const answer = toClientErrorAnswer(error);
    if (answer === undefined || !socket.writable || responseStarted(socket)) {
      socket.destroy();
      return;
    }
    log.info({ code: answer.code, parserCode: error.code }, 'request refused before parsing');
    writeErrorAndClose(socket, answer);
  };
}

export function writeErrorAndClose(socket: Duplex, error: HeraldError): void {
  const status = error.httpStatus;
  const body = JSON.stringify({ error: error.toJSON() });
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
  ];
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`, () => socket.destroy());
}

/**
 * Whether part of an answer to this connection's current request is already on the wire: then a
 * second status line would corrupt the stream, so the connection is only closed (Node's own
 * clientError fallback makes the same check).
 */
function responseStarted(socket: Socket): boolean {
  const current = (socket as Socket & { _httpMessage?: { headersSent?: boolean } | null })._httpMessage;
  return current?.headersSent === true;
}
