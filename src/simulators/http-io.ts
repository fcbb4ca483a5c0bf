import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpAnswer } from './wire-contract.ts';

/** Thrown when a request body is larger than the simulator reads. */
export class PayloadTooLargeError extends Error {
  constructor(limitBytes: number) {
    super(`The request body exceeds ${limitBytes} bytes`);
    this.name = 'PayloadTooLargeError';
  }
}

/** Reads the whole body; rejects early on a declared Content-Length over the limit. */
export async function readBody(request: IncomingMessage, limitBytes: number): Promise<Buffer> {
  if (Number(request.headers['content-length'] ?? 0) > limitBytes) throw new PayloadTooLargeError(limitBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    // A chunked body gives no length up front; stopping here destroys the request, which is fine
    // for a client that ignores the limit.
    if (size > limitBytes) throw new PayloadTooLargeError(limitBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

/** Writes an answer as JSON, unless the client has gone already. */
export function writeAnswer(response: ServerResponse, answer: HttpAnswer): void {
  if (response.destroyed || response.headersSent) return;
  if (answer.body === undefined) {
    response.writeHead(answer.status, answer.headers);
    response.end();
    return;
  }
  const payload = JSON.stringify(answer.body);
  response.writeHead(answer.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    ...answer.headers,
  });
  response.end(payload);
}

/** Splits the path of a request URL into decoded segments; null when the encoding is malformed. */
export function pathSegments(url: string | undefined): string[] | null {
  const path = (url ?? '/').split('?', 1)[0]!;
  try {
    return path
      .split('/')
      .filter((segment) => segment !== '')
      .map(decodeURIComponent);
  } catch {
    return null;
  }
}
