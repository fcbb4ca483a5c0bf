import { HeraldError } from '../../core/domain/errors.ts';
import type { OutboundMessage } from '../../core/domain/message.ts';
import type { PushOptions } from '../../core/domain/push-message.ts';

/** Apple's limit for every push type but VoIP (5120), which herald does not send. */
export const APNS_MAX_PAYLOAD_BYTES = 4_096;
export const APNS_MAX_COLLAPSE_ID_BYTES = 64;

/** One APNs request, without the authorization header (the provider token is added per attempt). */
export interface ApnsRequest {
  /** `/3/device/<hex token>` */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface ApnsRequestSettings {
  readonly vendorId: string;
  /** The bundle id used when the device registry gives no app for the token. */
  readonly defaultTopic?: string;
  /** Epoch ms, for a message without an expiry of its own. */
  readonly nowMs?: number;
}

/** Headers a client must not set through push.apns.headers: herald owns them. */
const RESERVED_HEADERS: ReadonlySet<string> = new Set(['authorization', 'apns-id', 'content-length']);

/**
 * Builds the APNs request of one push (Apple, "Sending notification requests to APNs"):
 *
 *   POST /3/device/<token>
 *   apns-topic: <bundle id>            apns-push-type: alert | background
 *   apns-priority: 10 | 5              apns-expiration: <unix seconds>
 *   apns-id: <herald message id>       apns-collapse-id: <= 64 bytes (optional)
 *   { "aps": { "alert": { "title", "body" }, ...aps options }, ...custom keys, ...data }
 *
 * A message with neither title nor body is a background (content-available) push at priority 5,
 * as Apple requires. `push.apns.headers` may override the defaults, except the headers herald owns.
 * Refuses what APNs would refuse anyway, before the call: no topic, a token that is not hex, a
 * collapse id over 64 bytes, a payload over 4096 bytes.
 */
export function buildApnsRequest(
  message: OutboundMessage,
  settings: ApnsRequestSettings,
): ApnsRequest | HeraldError {
  const push = message.push;
  const options: PushOptions = push?.options ?? {};
  const topic = push?.app ?? settings.defaultTopic;
  if (topic === undefined || topic === '') {
    return rejected(
      settings.vendorId,
      'MissingTopic',
      'no apns-topic: the device has no app and the vendor no default topic',
    );
  }
  if (!/^[0-9a-fA-F]+$/.test(message.to)) {
    return new HeraldError(
      'HERALD_RECIPIENT_INVALID',
      `Vendor ${settings.vendorId}: the APNs device token is not hex`,
      {
        vendorCode: 'BadDeviceToken',
      },
    );
  }
  const title = push?.title ?? message.subject;
  const alert = (title !== undefined && title !== '') || message.body !== '';
  const headers: Record<string, string> = {
    'apns-topic': topic,
    'apns-push-type': alert ? 'alert' : 'background',
    'apns-priority': alert ? '10' : '5',
    'apns-id': message.messageId,
    'content-type': 'application/json',
  };
  const expiresAt = push?.expiresAt ?? message.expiresAt;
  if (expiresAt !== undefined)
    headers['apns-expiration'] = String(Math.max(0, Math.floor(expiresAt / 1_000)));
  for (const [name, value] of Object.entries(options.apns?.headers ?? {})) {
    const lower = name.toLowerCase();
    if (!RESERVED_HEADERS.has(lower) && !lower.startsWith(':')) headers[lower] = value;
  }
  const collapseId = headers['apns-collapse-id'];
  if (collapseId !== undefined && Buffer.byteLength(collapseId) > APNS_MAX_COLLAPSE_ID_BYTES) {
    return rejected(
      settings.vendorId,
      'BadCollapseId',
      `apns-collapse-id is over ${APNS_MAX_COLLAPSE_ID_BYTES} bytes`,
    );
  }
  const body = JSON.stringify(payloadOf(title, message.body, options, alert));
  const size = Buffer.byteLength(body);
  if (size > APNS_MAX_PAYLOAD_BYTES) {
    return rejected(
      settings.vendorId,
      'PayloadTooLarge',
      `the APNs payload is ${size} bytes, over ${APNS_MAX_PAYLOAD_BYTES}`,
    );
  }
  return { path: `/3/device/${message.to}`, headers, body };
}

/**
 * `aps` from the notification and push.apns.payload.aps; then the custom keys of push.apns.payload
 * and the data map as top-level keys (FCM's own APNs rendering of `data`). Neither may replace `aps`.
 */
function payloadOf(
  title: string | undefined,
  body: string,
  options: PushOptions,
  alert: boolean,
): Record<string, unknown> {
  const { aps: apsOption, ...custom } = options.apns?.payload ?? {};
  const aps: Record<string, unknown> = {};
  if (alert) aps.alert = title === undefined || title === '' ? { body } : { title, body };
  else aps['content-available'] = 1;
  // An image needs the app's notification service extension to fetch it, which mutable-content wakes.
  if (options.image !== undefined) aps['mutable-content'] = 1;
  if (isRecord(apsOption)) Object.assign(aps, apsOption);
  const payload: Record<string, unknown> = { aps };
  for (const [key, value] of Object.entries({ ...options.data, ...custom })) {
    if (key !== 'aps') payload[key] = value;
  }
  if (options.image !== undefined && payload.image === undefined) payload.image = options.image;
  return payload;
}

function rejected(vendorId: string, reason: string, detail: string): HeraldError {
  return new HeraldError(
    'HERALD_VENDOR_REJECTED',
    `Vendor ${vendorId} (APNs) refused before sending: ${detail}`,
    {
      retryable: false,
      vendorCode: reason,
    },
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
