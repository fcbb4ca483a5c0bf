import { HeraldError } from '../../core/domain/errors.ts';
import { mapTransportError } from '../map-transport-error.ts';

/**
 * SMTP replies (RFC 5321 §4.2: 4yz transient, 5yz permanent) and nodemailer's connection errors in
 * herald's terms. What nodemailer gives a failed send:
 *   { code: 'EAUTH' | 'EENVELOPE' | 'EMESSAGE' | 'ECONNECTION' | 'ETIMEDOUT' | 'ESOCKET' | ...,
 *     responseCode?: 550, response?: '550 5.1.1 Mailbox unavailable', command?: 'RCPT TO' }
 * The vendor code kept for history is the reply code and its enhanced status (RFC 3463) when the
 * relay gives one, `550 5.1.1`; classification reads only those numbers, never the reply's text.
 */

/** How long to wait after a relay's throttling reply; SMTP carries no Retry-After. */
export const SMTP_RATE_LIMIT_RETRY_MS = 30_000;

/** Enhanced statuses of throttling: Gmail 4.7.28, Microsoft 365 4.7.500-4.7.699 ("server busy"). */
const THROTTLED = /^4\.7\.(28|[56]\d\d)$/;
/**
 * Node's (OpenSSL's) codes of a certificate that failed verification: UNABLE_TO_VERIFY_LEAF_SIGNATURE,
 * SELF_SIGNED_CERT_IN_CHAIN, DEPTH_ZERO_SELF_SIGNED_CERT, CERT_HAS_EXPIRED, ERR_TLS_CERT_ALTNAME_INVALID...
 */
const TLS_CERTIFICATE = /CERT|SELF_SIGNED|UNABLE_TO_(VERIFY|GET_ISSUER)/;
/** Permanent statuses of the recipient's mailbox: 5.1.x addressing, 5.2.1 mailbox disabled. */
const MAILBOX = /^5\.(1\.\d{1,3}|2\.1)$/;

interface NodemailerError {
  readonly code?: string;
  /** The socket's own code when nodemailer put its phase (ESOCKET, ETLS) in `code`. */
  readonly originalCode?: string;
  readonly responseCode?: number;
  readonly response?: string;
}

export function mapSmtpError(
  vendorId: string,
  error: unknown,
  signal: AbortSignal,
  closed: boolean,
): HeraldError {
  if (error instanceof HeraldError) return error;
  if (signal.aborted) return mapTransportError(vendorId, error, signal);
  const { code, originalCode, responseCode, response } = (error ?? {}) as NodemailerError;
  if (closed) {
    return new HeraldError('HERALD_VENDOR_UNAVAILABLE', `The client of vendor ${vendorId} is closed`, {
      retryable: true,
      vendorFault: false,
      vendorCode: 'CLIENT_CLOSED',
      cause: error,
    });
  }
  const certificate = [code, originalCode].find((c) => c !== undefined && TLS_CERTIFICATE.test(c));
  if (certificate !== undefined) {
    // The relay's certificate is not one this vendor trusts (CA, name, dates): nothing went out,
    // AUTH included. Retryable so the message fails over to the next vendor and the breaker opens;
    // the same relay will keep failing until its certificate or `tlsCa` is fixed, which the code
    // and the message say.
    return new HeraldError(
      'HERALD_VENDOR_UNAVAILABLE',
      `vendor ${vendorId}: the relay's TLS certificate was refused (${certificate}); ` +
        'fix the relay certificate or the CA the vendor trusts (tlsCa)',
      { retryable: true, vendorFault: true, vendorCode: 'TLS_CERTIFICATE', cause: error },
    );
  }
  if (typeof responseCode !== 'number' || responseCode < 400) {
    // No SMTP reply: refused, reset, timed out, TLS failed. The relay is unreachable: try again.
    return mapTransportError(vendorId, error, signal);
  }
  const enhanced = enhancedStatusOf(response);
  const vendorCode = enhanced ? `${responseCode} ${enhanced}` : String(responseCode);
  const said = `vendor ${vendorId} answered ${vendorCode}`;
  if (code === 'EAUTH' || responseCode === 535 || responseCode === 530) {
    return new HeraldError('HERALD_VENDOR_AUTH', `${said}: its AUTH account was refused`, {
      vendorFault: true,
      vendorCode,
      cause: error,
    });
  }
  if (responseCode < 500) {
    if (enhanced && THROTTLED.test(enhanced)) {
      return new HeraldError('HERALD_VENDOR_RATE_LIMITED', `${said}: slow down`, {
        retryable: true,
        retryAfterMs: SMTP_RATE_LIMIT_RETRY_MS,
        vendorCode,
        cause: error,
      });
    }
    return new HeraldError('HERALD_VENDOR_UNAVAILABLE', `${said}: try again later`, {
      retryable: true,
      vendorFault: true,
      vendorCode,
      cause: error,
    });
  }
  if (
    responseCode === 550 ||
    responseCode === 551 ||
    responseCode === 553 ||
    (enhanced && MAILBOX.test(enhanced))
  ) {
    return new HeraldError('HERALD_RECIPIENT_INVALID', `${said}: the mailbox is unavailable`, {
      vendorCode,
      cause: error,
    });
  }
  return new HeraldError('HERALD_VENDOR_REJECTED', `${said}: the message was refused`, {
    vendorCode,
    cause: error,
  });
}

/** `5.1.1` of `550 5.1.1 Mailbox unavailable` (or of a multi-line `550-5.1.1 ...`). */
export function enhancedStatusOf(response: string | undefined): string | undefined {
  return response?.match(/^\d{3}[ -]([245]\.\d{1,3}\.\d{1,3})\b/)?.[1];
}
