import { HeraldError } from '../../core/domain/errors.ts';
import type { SendReceipt } from '../../ports/vendor.ts';
import { parseRetryAfterMs } from '../retry-after.ts';

/** An APNs answer as read off the stream. */
export interface ApnsReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

/** The provider token was refused: renew it (once) and send again. */
export interface RenewProviderToken {
  readonly kind: 'renew-provider-token';
  readonly reason: string;
}

export type ApnsOutcome = SendReceipt | HeraldError | RenewProviderToken;

/** 403 reasons that a new provider token can cure. */
const RENEWABLE: ReadonlySet<string> = new Set(['ExpiredProviderToken', 'InvalidProviderToken']);
/** 410: the token is dead for this topic; the registry marks it dead. */
const DEAD_TOKEN: ReadonlySet<string> = new Set(['Unregistered', 'ExpiredToken']);
/**
 * 400 reasons about the token itself, not the message. BadDeviceToken means "bad, or not for this
 * environment" (a sandbox token sent to production): the device may be fine, so the token is not
 * marked dead, but this vendor can never deliver to it.
 */
const RECIPIENT: ReadonlySet<string> = new Set([
  'BadDeviceToken',
  'DeviceTokenNotForTopic',
  'MissingDeviceToken',
]);

/**
 * Maps an APNs answer (Apple, "Handling error responses from APNs"): 200 + apns-id, or
 * `{"reason": "<Reason>"}` (410 adds `"timestamp"`). Classified by status and reason only.
 *
 * | answer                                  | herald                                                   |
 * |-----------------------------------------|----------------------------------------------------------|
 * | 200                                     | receipt, vendorMessageId = apns-id                       |
 * | 410 Unregistered / ExpiredToken         | HERALD_TOKEN_INVALID, permanent                          |
 * | 400 BadDeviceToken, DeviceTokenNotFor.. | HERALD_RECIPIENT_INVALID, permanent (token not dead)     |
 * | 403 Expired/InvalidProviderToken        | renew the provider token and retry (the caller decides)  |
 * | other 403 (key, team, environment)      | HERALD_VENDOR_UNAVAILABLE, vendor fault: every message   |
 * |                                         | would fail the same way, so the breaker must see it      |
 * | 429 TooManyRequests / ..TokenUpdates    | HERALD_VENDOR_RATE_LIMITED, retryable, Retry-After       |
 * | 500, 503 (ServiceUnavailable, Shutdown) | HERALD_VENDOR_UNAVAILABLE, retryable, vendor fault       |
 * | anything else                           | HERALD_VENDOR_REJECTED, permanent, vendorCode = reason   |
 */
export function mapApnsResponse(
  vendorId: string,
  reply: ApnsReply,
  sentApnsId: string,
  nowMs = Date.now(),
): ApnsOutcome {
  const { status } = reply;
  if (status === 200) return { vendorMessageId: headerOf(reply, 'apns-id') ?? sentApnsId };
  const reason = reasonOf(reply.body) ?? `HTTP_${status}`;
  const retryAfterMs = parseRetryAfterMs(reply.headers['retry-after'], nowMs);
  if (status === 403 && RENEWABLE.has(reason)) return { kind: 'renew-provider-token', reason };
  if (status === 410 || DEAD_TOKEN.has(reason)) {
    return new HeraldError(
      'HERALD_TOKEN_INVALID',
      `Vendor ${vendorId}: APNs says the device token is dead (${reason})`,
      {
        retryable: false,
        vendorCode: reason,
      },
    );
  }
  if (status === 400 && RECIPIENT.has(reason)) {
    return new HeraldError(
      'HERALD_RECIPIENT_INVALID',
      `Vendor ${vendorId}: APNs refused the device token (${reason})`,
      {
        retryable: false,
        vendorCode: reason,
      },
    );
  }
  if (status === 429) {
    return new HeraldError(
      'HERALD_VENDOR_RATE_LIMITED',
      `Vendor ${vendorId}: APNs asked to slow down (${reason})`,
      {
        retryable: true,
        retryAfterMs,
        vendorCode: reason,
        // TooManyRequests is about one device token; TooManyProviderTokenUpdates is our own doing.
        vendorFault: false,
      },
    );
  }
  if (status >= 500 || status === 403) return providerFailure(vendorId, status, reason, retryAfterMs);
  return new HeraldError(
    'HERALD_VENDOR_REJECTED',
    `Vendor ${vendorId}: APNs rejected the message (${status} ${reason})`,
    {
      retryable: false,
      vendorCode: reason,
    },
  );
}

/** After the one renewal allowed, APNs still refuses our provider token: the vendor is unusable. */
export function providerTokenRefused(vendorId: string, reason: string): HeraldError {
  return providerFailure(vendorId, 403, reason, undefined);
}

function providerFailure(
  vendorId: string,
  status: number,
  reason: string,
  retryAfterMs: number | undefined,
): HeraldError {
  return new HeraldError(
    'HERALD_VENDOR_UNAVAILABLE',
    `Vendor ${vendorId}: APNs failed (${status} ${reason})`,
    {
      retryable: true,
      retryAfterMs,
      vendorCode: reason,
      vendorFault: true,
    },
  );
}

function reasonOf(body: Buffer): string | undefined {
  if (body.length === 0) return undefined;
  try {
    const reason = (JSON.parse(body.toString('utf8')) as { reason?: unknown } | null)?.reason;
    return typeof reason === 'string' && reason !== '' ? reason : undefined;
  } catch {
    return undefined;
  }
}

function headerOf(reply: ApnsReply, name: string): string | undefined {
  const value = reply.headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? undefined : first;
}
