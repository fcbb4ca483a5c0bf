import { HeraldError } from '../../core/domain/errors.ts';
import { mapTransportError } from '../map-transport-error.ts';

/**
 * SES v2's answers in herald's terms. What the AWS SDK throws for an error answer (restJson1: the
 * name from `x-amzn-ErrorType` or the body's `__type`/`code`):
 *   { name: 'MessageRejected', $fault: 'client' | 'server', $metadata: { httpStatusCode: 400 } }
 * Classification reads only the name and the status, never the message. The vendor code kept for
 * history is the name (`MessageRejected`, `TooManyRequestsException`...).
 *
 * - rejected for good (MessageRejected: suppressed address, virus; BadRequestException: a request
 *   SES cannot take) -> HERALD_VENDOR_REJECTED, final;
 * - herald's account at SES cannot send now (AccountSuspendedException, SendingPausedException,
 *   MailFromDomainNotVerifiedException, NotFoundException: a configuration set that is not there)
 *   -> HERALD_VENDOR_UNAVAILABLE, retryable and the vendor's fault, so the retry fails over to
 *   another e-mail vendor and the breaker opens;
 * - throttled (TooManyRequestsException 429, LimitExceededException) -> HERALD_VENDOR_RATE_LIMITED;
 * - the access key or signature refused (403 and AWS' auth error names) -> HERALD_VENDOR_AUTH;
 * - 5xx -> retryable vendor fault; no answer (refused, reset, aborted) -> mapTransportError.
 */

/** SES carries no Retry-After: its sending quota is per second, so wait one. */
export const SES_RATE_LIMIT_RETRY_MS = 1_000;

const REJECTED: ReadonlySet<string> = new Set(['MessageRejected', 'BadRequestException']);
const ACCOUNT_CANNOT_SEND: ReadonlySet<string> = new Set([
  'AccountSuspendedException',
  'SendingPausedException',
  'MailFromDomainNotVerifiedException',
  'NotFoundException',
]);
const THROTTLED: ReadonlySet<string> = new Set([
  'TooManyRequestsException',
  'LimitExceededException',
  'ThrottlingException',
]);
/** AWS' common authentication errors (AWS common errors; IAM). */
const AUTH: ReadonlySet<string> = new Set([
  'SignatureDoesNotMatch',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'IncompleteSignatureException',
  'MissingAuthenticationTokenException',
  'InvalidClientTokenId',
  'AccessDeniedException',
  'ExpiredTokenException',
]);

interface SdkServiceError {
  readonly name?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

export function mapSesError(
  vendorId: string,
  error: unknown,
  signal: AbortSignal,
  closed: boolean,
): HeraldError {
  if (error instanceof HeraldError) return error;
  if (signal.aborted) return mapTransportError(vendorId, error, signal);
  if (closed) {
    return new HeraldError('HERALD_VENDOR_UNAVAILABLE', `The client of vendor ${vendorId} is closed`, {
      retryable: true,
      vendorFault: false,
      vendorCode: 'CLIENT_CLOSED',
      cause: error,
    });
  }
  const { name, $metadata } = (error ?? {}) as SdkServiceError;
  const status = $metadata?.httpStatusCode;
  // No HTTP answer: refused, reset, DNS, TLS. SES is unreachable: try again.
  if (typeof status !== 'number' || typeof name !== 'string')
    return mapTransportError(vendorId, error, signal);
  const vendorCode = name;
  const said = `vendor ${vendorId} answered ${status} ${name}`;
  if (THROTTLED.has(name) || status === 429) {
    return new HeraldError('HERALD_VENDOR_RATE_LIMITED', `${said}: slow down`, {
      retryable: true,
      retryAfterMs: SES_RATE_LIMIT_RETRY_MS,
      vendorCode,
      cause: error,
    });
  }
  if (AUTH.has(name) || status === 401 || status === 403) {
    return new HeraldError('HERALD_VENDOR_AUTH', `${said}: its access key or signature was refused`, {
      vendorFault: true,
      vendorCode,
      cause: error,
    });
  }
  if (ACCOUNT_CANNOT_SEND.has(name) || status >= 500) {
    return new HeraldError('HERALD_VENDOR_UNAVAILABLE', `${said}: it cannot send now`, {
      retryable: true,
      vendorFault: true,
      vendorCode,
      cause: error,
    });
  }
  const why = REJECTED.has(name) ? 'the message was refused' : 'the request was refused';
  return new HeraldError('HERALD_VENDOR_REJECTED', `${said}: ${why}`, { vendorCode, cause: error });
}
