import { HeraldError } from '../core/domain/errors.ts';
import type { SendReceipt } from '../ports/vendor.ts';
import { parseRetryAfterMs } from './retry-after.ts';

/**
 * An answer of the generic simulator contract, as read off the wire:
 *
 *   200 { "vendorMessageId": "<id>", "status": "accepted" }
 *   429 { "code": "RATE_LIMITED", "message": "..." }  + Retry-After: <seconds | HTTP date>
 *   400 { "code": "INVALID_RECIPIENT" | "BAD_REQUEST" | ..., "message": "..." }
 *   404 { "code": "UNREGISTERED" | "UNKNOWN_VENDOR", "message": "..." }
 *   5xx { "code": "SERVER_ERROR" | "SERVICE_UNAVAILABLE" | ..., "message": "..." }
 *
 * `body` is the parsed JSON, or undefined when the body was empty or not JSON.
 */
export interface SimulatorResponse {
  readonly status: number;
  readonly retryAfter: string | readonly string[] | undefined;
  readonly body: unknown;
}

/** Vendor codes that mean the recipient cannot be reached through this channel at all. */
const RECIPIENT_INVALID_CODES: ReadonlySet<string> = new Set(['INVALID_RECIPIENT', 'UNREGISTERED']);

/**
 * Maps a simulator answer to a receipt or a HeraldError (returned, not thrown, so the mapping stays
 * a pure function). Classified by status and the vendor's code only, never by message text.
 */
export function mapSimulatorResponse(
  vendorId: string,
  response: SimulatorResponse,
  nowMs: number = Date.now(),
): SendReceipt | HeraldError {
  const { status } = response;
  const vendorCode = codeOf(response.body) ?? `HTTP_${status}`;
  if (status >= 200 && status < 300) return receiptOf(vendorId, response.body);
  if (status === 429) {
    return new HeraldError('HERALD_VENDOR_RATE_LIMITED', `Vendor ${vendorId} asked to slow down`, {
      retryable: true,
      retryAfterMs: parseRetryAfterMs(response.retryAfter, nowMs),
      vendorCode,
      vendorFault: false,
    });
  }
  // 408: the vendor gave up waiting for our request; a transient fault like a 5xx.
  if (status >= 500 || status === 408 || status < 200 || (status >= 300 && status < 400)) {
    return new HeraldError('HERALD_VENDOR_UNAVAILABLE', `Vendor ${vendorId} failed with HTTP ${status}`, {
      retryable: true,
      vendorCode,
      vendorFault: true,
    });
  }
  if (RECIPIENT_INVALID_CODES.has(vendorCode)) {
    return new HeraldError('HERALD_RECIPIENT_INVALID', `Vendor ${vendorId} rejected the recipient`, {
      retryable: false,
      vendorCode,
    });
  }
  return new HeraldError(
    'HERALD_VENDOR_REJECTED',
    `Vendor ${vendorId} rejected the message (HTTP ${status})`,
    {
      retryable: false,
      vendorCode,
    },
  );
}

function receiptOf(vendorId: string, body: unknown): SendReceipt | HeraldError {
  const vendorMessageId = (body as { vendorMessageId?: unknown } | undefined)?.vendorMessageId;
  if (typeof vendorMessageId === 'string' && vendorMessageId !== '') return { vendorMessageId };
  // The vendor may have taken the message; a retry under the same idempotency key is safe.
  return new HeraldError('HERALD_VENDOR_UNAVAILABLE', `Vendor ${vendorId} answered success without an id`, {
    retryable: true,
    vendorCode: 'MALFORMED_RESPONSE',
    vendorFault: true,
  });
}

function codeOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const code = (body as { code?: unknown }).code;
  return typeof code === 'string' && code !== '' ? code : undefined;
}
