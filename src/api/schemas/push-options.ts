import { Type } from 'typebox';
import {
  ANDROID_TTL_MAX_SECONDS,
  APNS_PUSH_TYPES,
  PUSH_DATA_MAX_BYTES,
} from '../../core/submission/check-push-options.ts';

/** Header and data maps of push options: the core checks names and sizes (check-push-options.ts). */
const StringMap = (description: string) =>
  Type.Record(Type.String(), Type.String({ maxLength: PUSH_DATA_MAX_BYTES }), {
    maxProperties: 100,
    description,
  });
const JsonObject = (description: string) => Type.Record(Type.String(), Type.Unknown(), { description });

/** The request's `push` member. */
export const PushOptionsSchema = Type.Object(
  {
    image: Type.Optional(
      Type.String({
        maxLength: 2048,
        description: 'Notification image, an https:// URL (FCM notification.image)',
      }),
    ),
    data: Type.Optional(
      StringMap(
        'Key-value data for the app, strings only, at most 4096 bytes in all; keys from, message_type, ' +
          'google.*, gcm.* (FCM) and herald_* (herald) are reserved',
      ),
    ),
    android: Type.Optional(
      Type.Object(
        {
          priority: Type.Optional(
            Type.Enum(['normal', 'high'], { type: 'string', description: 'FCM android.priority' }),
          ),
          ttlSeconds: Type.Optional(
            Type.Integer({
              minimum: 0,
              maximum: ANDROID_TTL_MAX_SECONDS,
              description:
                "FCM android.ttl in seconds (0 to 28 days); default: the time left to the message's expiry",
            }),
          ),
          collapseKey: Type.Optional(
            Type.String({ minLength: 1, maxLength: 255, description: 'FCM android.collapse_key' }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    apns: Type.Optional(
      Type.Object(
        {
          headers: Type.Optional(
            StringMap(
              'APNs headers, lower-case apns-* names: apns-priority "10", "5" or "1"; apns-push-type ' +
                `(${APNS_PUSH_TYPES.join(', ')}); apns-collapse-id at most 64 bytes. apns-id, apns-topic ` +
                "and apns-expiration are herald's (message id, device app, expiry)",
            ),
          ),
          payload: Type.Optional(
            JsonObject(
              'Merged into the APNs payload: aps fields (badge, sound, thread-id...) and custom keys',
            ),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    webpush: Type.Optional(
      Type.Object(
        {
          headers: Type.Optional(StringMap('Web Push headers (TTL, Urgency, Topic)')),
          data: Type.Optional(StringMap('Web Push data, strings only')),
          notification: Type.Optional(JsonObject('Web Notification fields (FCM webpush.notification)')),
          link: Type.Optional(
            Type.String({ maxLength: 2048, description: 'Opened on click, an https:// URL' }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    validateOnly: Type.Optional(
      Type.Boolean({
        description:
          'Dry run: FCM checks the message without delivering it (validate_only); APNs has none, so herald checks it and does not send',
      }),
    ),
  },
  {
    additionalProperties: false,
    description:
      'Channel push only: options for every recipient. The title (content.subject), body and these options ' +
      'travel as one payload of at most 4096 bytes (FCM and APNs): a larger one is refused with HERALD_BODY_TOO_LONG',
  },
);
