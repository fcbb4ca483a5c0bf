/**
 * Codes of the failures the pool raises itself; node:http2 and socket errors (ECONNREFUSED,
 * ERR_HTTP2_STREAM_ERROR...) pass through with their own codes. Read by map-transport-error.ts.
 */
export const HTTP2_POOL_CLOSED = 'ERR_HTTP2_POOL_CLOSED';
export const HTTP2_ABORTED = 'ABORT_ERR';
/** The peer refused the stream (GOAWAY or REFUSED_STREAM), and again on each retry. */
export const HTTP2_REFUSED = 'ERR_HTTP2_REFUSED_STREAM';
/** The session died with the stream open, and again on the one retry. */
export const HTTP2_SESSION_LOST = 'ERR_HTTP2_SESSION_LOST';

/** The peer reset the stream (other than refusing it), or it broke without a code of its own. */
export const HTTP2_STREAM_FAILED = 'ERR_HTTP2_STREAM_ERROR';

/** A failure of one pooled HTTP/2 call, with a code to classify it by. */
export class Http2PoolError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'Http2PoolError';
    this.code = code;
  }
}
