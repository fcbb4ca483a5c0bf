import { type ClientHttp2Stream, constants, type IncomingHttpHeaders } from 'node:http2';
import { HTTP2_ABORTED, Http2PoolError } from './http2-pool-error.ts';
import type { PooledSession } from './pooled-session.ts';

export interface Http2Call {
  /** Path with query, e.g. `/v1/projects/p/messages:send`. */
  readonly path: string;
  /** Request headers, lower-case names; `:method` defaults to POST. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Buffer;
  /** The caller's time limit and shutdown: aborting it resets the stream (NGHTTP2_CANCEL). */
  readonly signal: AbortSignal;
}

export interface Http2Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/**
 * How one stream ended. `refused`: the peer never processed it (REFUSED_STREAM, or a GOAWAY
 * came first), so sending it again cannot duplicate it. `lost`: the session died with the stream
 * open, so the peer may or may not have processed it. `failed`: anything else, not retried.
 */
export type StreamOutcome =
  | { readonly kind: 'reply'; readonly reply: Http2Reply }
  | { readonly kind: 'refused' | 'lost' | 'failed'; readonly error: Error };

/**
 * Runs one request on a session whose stream slot the pool already reserved, and releases the
 * slot when the stream closes. Never rejects: an abort by the caller resolves as `failed` with an
 * ABORT_ERR (the caller's signal is then aborted, which is what callers classify by).
 */
export function runStream(pooled: PooledSession, call: Http2Call): Promise<StreamOutcome> {
  let stream: ClientHttp2Stream;
  try {
    stream = pooled.session.request({ ':method': 'POST', ':path': call.path, ...call.headers });
  } catch (error) {
    pooled.active -= 1;
    // The session went away (GOAWAY, closed) between the pool's choice and now: nothing was sent.
    return Promise.resolve({ kind: 'refused', error: error as Error });
  }
  return new Promise<StreamOutcome>((resolve) => {
    let status = 0;
    let headers: IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    let ended = false;
    let streamError: Error | undefined;
    const onAbort = (): void => {
      // A real cancel: RST_STREAM(CANCEL) tells the peer the caller is gone.
      if (!stream.closed) stream.close(constants.NGHTTP2_CANCEL);
    };
    call.signal.addEventListener('abort', onAbort, { once: true });
    stream.on('response', (responseHeaders) => {
      headers = responseHeaders;
      status = Number(responseHeaders[':status']);
    });
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      ended = true;
    });
    stream.on('error', (error: Error) => {
      streamError = error;
    });
    stream.once('close', () => {
      call.signal.removeEventListener('abort', onAbort);
      pooled.active -= 1;
      if (ended && status > 0)
        resolve({ kind: 'reply', reply: { status, headers, body: Buffer.concat(chunks) } });
      else resolve(classifyClose(pooled, stream, call.signal, streamError));
    });
    stream.end(call.body);
  });
}

function classifyClose(
  pooled: PooledSession,
  stream: ClientHttp2Stream,
  signal: AbortSignal,
  streamError: Error | undefined,
): StreamOutcome {
  if (signal.aborted) {
    return {
      kind: 'failed',
      error: new Http2PoolError(HTTP2_ABORTED, 'The call was aborted', { cause: signal.reason }),
    };
  }
  const error = streamError ?? pooled.lastError ?? new Error(`Stream closed with code ${stream.rstCode}`);
  if (stream.rstCode === constants.NGHTTP2_REFUSED_STREAM) return { kind: 'refused', error };
  if (pooled.session.destroyed) return { kind: 'lost', error };
  return { kind: 'failed', error };
}
