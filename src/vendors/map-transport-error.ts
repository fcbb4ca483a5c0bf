import { HeraldError } from '../core/domain/errors.ts';

/**
 * Codes for a request made on a pool that was closed or destroyed (our own shutdown): undici's,
 * and the HTTP/2 pool's (src/vendors/http2/http2-pool-error.ts).
 */
const CLIENT_CLOSED_CODES: ReadonlySet<string> = new Set([
  'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED',
  'ERR_HTTP2_POOL_CLOSED',
]);

/**
 * Maps a failure to get an HTTP answer from a vendor (no response, or a response cut short) into a
 * HeraldError, for any HTTP vendor adapter.
 *
 * - the caller's signal fired with a HeraldError as its reason: that error, as the caller meant it;
 * - the caller's signal fired with a TimeoutError: the vendor was too slow -> HERALD_VENDOR_TIMEOUT,
 *   retryable, the vendor's fault (counts against its breaker);
 * - the signal fired for any other reason (shutdown): HERALD_VENDOR_UNAVAILABLE, retryable, not the
 *   vendor's fault, so the message goes back for a retry and the breaker is left alone;
 * - the pool was closed under the call: same as shutdown;
 * - anything else (refused, reset, DNS, TLS, headers timeout): HERALD_VENDOR_UNAVAILABLE, retryable,
 *   the vendor's fault; vendorCode keeps the socket error code (ECONNREFUSED...) for history.
 */
export function mapTransportError(vendorId: string, error: unknown, signal: AbortSignal): HeraldError {
  if (error instanceof HeraldError) return error;
  if (signal.aborted) {
    const reason: unknown = signal.reason;
    // The caller classified its own abort (the pipeline's time limit aborts with its HeraldError).
    if (reason instanceof HeraldError) return reason;
    if (reason instanceof Error && reason.name === 'TimeoutError') {
      return new HeraldError('HERALD_VENDOR_TIMEOUT', `Vendor ${vendorId} did not answer in time`, {
        retryable: true,
        vendorFault: true,
        vendorCode: 'TIMEOUT',
        cause: reason,
      });
    }
    return new HeraldError('HERALD_VENDOR_UNAVAILABLE', `The call to vendor ${vendorId} was aborted`, {
      retryable: true,
      vendorFault: false,
      vendorCode: 'ABORTED',
      cause: reason,
    });
  }
  const code = errorCodeOf(error);
  if (code !== undefined && CLIENT_CLOSED_CODES.has(code)) {
    return new HeraldError('HERALD_VENDOR_UNAVAILABLE', `The client of vendor ${vendorId} is closed`, {
      retryable: true,
      vendorFault: false,
      vendorCode: 'CLIENT_CLOSED',
      cause: error,
    });
  }
  return new HeraldError(
    'HERALD_VENDOR_UNAVAILABLE',
    `Vendor ${vendorId} could not be reached (${code ?? 'unknown'})`,
    {
      retryable: true,
      vendorFault: true,
      vendorCode: code ?? 'TRANSPORT_ERROR',
      cause: error,
    },
  );
}

/** The system or undici error code of an error, or of its cause (fetch wraps socket errors). */
function errorCodeOf(error: unknown): string | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 3; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = current.cause;
  }
  return undefined;
}
