import type { HttpAnswer } from '../wire-contract.ts';

/**
 * Every reason APNs answers with, and its status (Apple, "Handling error responses from APNs";
 * the same 32 as apns-h2's ErrorReason). Error bodies are `{"reason": "<Reason>"}`; 410 adds
 * `"timestamp"`, ms since the epoch when the token stopped being valid for the topic.
 */
export const APNS_REASON_STATUS = {
  BadCollapseId: 400,
  BadDeviceToken: 400,
  BadExpirationDate: 400,
  BadMessageId: 400,
  BadPriority: 400,
  BadTopic: 400,
  DeviceTokenNotForTopic: 400,
  DuplicateHeaders: 400,
  IdleTimeout: 400,
  InvalidPushType: 400,
  MissingDeviceToken: 400,
  MissingTopic: 400,
  PayloadEmpty: 400,
  TopicDisallowed: 400,
  BadCertificate: 403,
  BadCertificateEnvironment: 403,
  ExpiredProviderToken: 403,
  Forbidden: 403,
  InvalidProviderToken: 403,
  MissingProviderToken: 403,
  UnrelatedKeyIdInToken: 403,
  BadEnvironmentKeyIdInToken: 403,
  BadPath: 404,
  MethodNotAllowed: 405,
  ExpiredToken: 410,
  Unregistered: 410,
  PayloadTooLarge: 413,
  TooManyProviderTokenUpdates: 429,
  TooManyRequests: 429,
  InternalServerError: 500,
  ServiceUnavailable: 503,
  Shutdown: 503,
} as const;

export type ApnsReason = keyof typeof APNS_REASON_STATUS;

export function isApnsReason(value: string): value is ApnsReason {
  return Object.hasOwn(APNS_REASON_STATUS, value);
}

/** An APNs error answer. `deadSinceMs` is the 410 timestamp; `headers` e.g. retry-after. */
export function apnsErrorAnswer(
  reason: ApnsReason,
  options: { readonly deadSinceMs?: number; readonly headers?: Readonly<Record<string, string>> } = {},
): HttpAnswer {
  const status = APNS_REASON_STATUS[reason];
  const body = status === 410 ? { reason, timestamp: options.deadSinceMs ?? Date.now() } : { reason };
  return options.headers === undefined ? { status, body } : { status, headers: options.headers, body };
}
