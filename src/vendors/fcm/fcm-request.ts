import type { OutboundMessage } from '../../core/domain/message.ts';
import type { PushOptions } from '../../core/domain/push-message.ts';

/** The data key carrying herald's message id: the app and the simulator read it. */
export const HERALD_MESSAGE_ID_KEY = 'herald_message_id';
/** FCM keeps an undelivered message at most four weeks. */
const MAX_TTL_SECONDS = 28 * 24 * 3_600;

type Json = Record<string, unknown>;

/**
 * The body of `POST /v1/projects/{project}/messages:send` for one message to one device token:
 *
 *   {"validate_only"?: true, "message": {"token": "<to>",
 *     "notification": {"title","body","image"},
 *     "data": {...options.data, "herald_message_id": "<messageId>"},
 *     "android": {"priority": "HIGH"|"NORMAL", "ttl": "<seconds>s", "collapse_key"},
 *     "apns": {"headers", "payload"},
 *     "webpush": {"headers", "data", "notification", "fcm_options": {"link"}}}}
 *
 * android.ttl defaults to the seconds left until the message's expiry, so FCM drops what herald
 * would no longer send. herald's message id goes last in `data`, so options cannot overwrite it.
 */
export function buildFcmRequest(message: OutboundMessage, nowMs: number): Json {
  const push = message.push;
  const options: PushOptions = push?.options ?? {};
  const title = push?.title ?? message.subject;
  const notification = compact({ title, body: message.body, image: options.image });
  const expiresAt = push?.expiresAt ?? message.expiresAt;
  const fcmMessage = compact({
    token: message.to,
    notification,
    data: { ...options.data, [HERALD_MESSAGE_ID_KEY]: message.messageId },
    android: androidConfig(options, expiresAt, nowMs),
    apns:
      options.apns === undefined
        ? undefined
        : compact({ headers: options.apns.headers, payload: options.apns.payload }),
    webpush: webpushConfig(options),
  });
  return options.validateOnly ? { validate_only: true, message: fcmMessage } : { message: fcmMessage };
}

function androidConfig(options: PushOptions, expiresAt: number | undefined, nowMs: number): Json | undefined {
  const android = options.android ?? {};
  const ttlSeconds =
    android.ttlSeconds ??
    (expiresAt === undefined ? undefined : Math.max(0, Math.ceil((expiresAt - nowMs) / 1_000)));
  const config = compact({
    priority: android.priority === undefined ? undefined : android.priority.toUpperCase(),
    ttl: ttlSeconds === undefined ? undefined : `${Math.min(Math.floor(ttlSeconds), MAX_TTL_SECONDS)}s`,
    collapse_key: android.collapseKey,
  });
  return Object.keys(config).length === 0 ? undefined : config;
}

function webpushConfig(options: PushOptions): Json | undefined {
  const webpush = options.webpush;
  if (webpush === undefined) return undefined;
  return compact({
    headers: webpush.headers,
    data: webpush.data,
    notification: webpush.notification,
    fcm_options: webpush.link === undefined ? undefined : { link: webpush.link },
  });
}

/** Drops undefined fields: FCM rejects nothing for them, but they are noise on the wire. */
function compact(record: Json): Json {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}
