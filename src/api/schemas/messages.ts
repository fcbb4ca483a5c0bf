import { Type } from 'typebox';
import { CHANNELS } from '../../core/domain/channel.ts';
import { LANES } from '../../core/domain/lane.ts';
import { MESSAGE_STATUSES } from '../../core/domain/message-status.ts';
import { PUSH_PROVIDERS } from '../../core/domain/push-provider.ts';
import { MMS_FILE_NAME_MAX, MMS_IMAGE_MAX_SIDE, MMS_MAX_IMAGES } from '../../core/media/image-rules.ts';
import { CONTENT_DEDUP_MAX_WINDOW_SECONDS } from '../../core/submission/check-dedup-option.ts';
import {
  ANDROID_TTL_MAX_SECONDS,
  APNS_PUSH_TYPES,
  PUSH_DATA_MAX_BYTES,
} from '../../core/submission/check-push-options.ts';
import { IDEMPOTENCY_KEY_MAX, MAX_RECIPIENTS } from '../../core/submission/check-request.ts';
import { APP_MAX, USER_ID_MAX } from '../../core/submission/recipient-forms.ts';
import { ErrorDetail, NullableError, NullableString } from './common.ts';

/**
 * Schemas of the public API. The same objects validate requests (Ajv) and generate the OpenAPI
 * document (@fastify/swagger), so the document cannot drift from what the server accepts.
 *
 * The schemas check shape and gross size only. Channel-specific rules (EUC-KR, byte limits, phone
 * formats) live in the submission use-case, because they are per recipient: one bad phone number
 * must reject that recipient, not the request.
 */
const ChannelSchema = Type.Enum(CHANNELS, { type: 'string', description: 'Delivery channel' });
const LaneSchema = Type.Enum(LANES, {
  type: 'string',
  description: 'Traffic class: realtime (notifications), batch (bulk informational), ad (advertising)',
});
const StatusSchema = Type.Enum(MESSAGE_STATUSES, {
  type: 'string',
  description:
    'accepted, queued, sending, retrying, deferred (a night ad waiting for 08:00 KST) on the way; final: ' +
    'sent, failed, expired, duplicate, or expanded (a push to a user, resolved into one message per ' +
    'live device: see devices); after sent, AlimTalk only: delivered (Kakao delivered it) or undelivered ' +
    '(HERALD_KAKAO_UNDELIVERED with the vendor code; see fallback)',
});

/** Largest body any channel accepts (email, 512 KiB); the channel's own limit is checked later. */
const BODY_MAX_CHARACTERS = 512 * 1024;

const Vars = Type.Record(Type.String(), Type.String({ maxLength: 4000 }), {
  maxProperties: 100,
  description: 'Values for #{name} placeholders',
});

/** Header and data maps of push options: the core checks names and sizes (check-push-options.ts). */
const StringMap = (description: string) =>
  Type.Record(Type.String(), Type.String({ maxLength: PUSH_DATA_MAX_BYTES }), {
    maxProperties: 100,
    description,
  });
const JsonObject = (description: string) => Type.Record(Type.String(), Type.Unknown(), { description });

const PushOptionsSchema = Type.Object(
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

/**
 * MMS images. Sizes here are gross (the body limit bounds them anyway): the rules themselves (3
 * images, 300 KB, 1000x1000, baseline JPEG) are the core's, whose 400 HERALD_IMAGE_INVALID names
 * the image and the limit, which a schema error could not.
 */
const IMAGE_FILE_NAME = Type.Optional(
  Type.String({
    minLength: 1,
    maxLength: 255,
    description: `Told to the vendor (a plain name ending .jpg of at most ${MMS_FILE_NAME_MAX} characters; else image-<n>.jpg)`,
  }),
);
const ImagesSchema = Type.Array(
  Type.Union([
    Type.Object(
      {
        base64: Type.String({
          minLength: 4,
          maxLength: 4 * 1024 * 1024,
          description: 'The JPEG, base64 (RFC 4648; a data:image/jpeg;base64, prefix is taken)',
        }),
        fileName: IMAGE_FILE_NAME,
      },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        url: Type.String({
          minLength: 9,
          maxLength: 2048,
          description:
            'An https URL on a host registered for your client (PUT /v1/image-hosts); fetched once, with ' +
            'size and time limits, never from a private or loopback address (else 422 HERALD_IMAGE_FETCH_FAILED)',
        }),
        fileName: IMAGE_FILE_NAME,
      },
      { additionalProperties: false },
    ),
  ]),
  {
    minItems: 1,
    maxItems: 10,
    description:
      `MMS images: at most ${MMS_MAX_IMAGES}, each a baseline JPEG of at most 300 KB and ` +
      `${MMS_IMAGE_MAX_SIDE}x${MMS_IMAGE_MAX_SIDE} pixels, 800 KB together (400 HERALD_IMAGE_INVALID names ` +
      'the image and the limit). See docs/mms.md',
  },
);

export const SubmitMessagesBody = Type.Object(
  {
    channel: ChannelSchema,
    lane: LaneSchema,
    content: Type.Optional(
      Type.Object(
        {
          subject: Type.Optional(Type.String({ minLength: 1, maxLength: 998 })),
          body: Type.String({ minLength: 1, maxLength: BODY_MAX_CHARACTERS }),
          images: Type.Optional(ImagesSchema),
        },
        {
          additionalProperties: false,
          description:
            'Inline text; #{name} placeholders take recipient vars. On sms, lms and mms also images (sent as mms)',
        },
      ),
    ),
    mms: Type.Optional(
      Type.Object(
        {
          allowLmsWithoutImage: Type.Optional(
            Type.Boolean({
              description:
                'true: an mms request without content.images is sent as lms instead of refused (400 HERALD_MMS_IMAGE_REQUIRED)',
            }),
          ),
        },
        { additionalProperties: false, description: 'Channel mms only' },
      ),
    ),
    template: Type.Optional(
      Type.Object(
        { code: Type.String({ minLength: 1, maxLength: 64 }), vars: Type.Optional(Vars) },
        { additionalProperties: false, description: 'A registered AlimTalk template (alimtalk only)' },
      ),
    ),
    expiresInSeconds: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 30 * 24 * 60 * 60, description: 'Give up after this long' }),
    ),
    from: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 20,
        description:
          'sms, lms, mms: the sender number (발신번호), one registered for your client (GET /v1/sender-numbers); ' +
          'default: your default number. alimtalk: the number its SMS/LMS fallback goes from (default: your ' +
          'default number). Unregistered: 422 HERALD_SENDER_NOT_REGISTERED. Not for other channels',
      }),
    ),
    sender: Type.Optional(
      Type.Object(
        { name: Type.String({ minLength: 1, maxLength: 100 }) },
        {
          additionalProperties: false,
          description:
            'Who advertises (company or service). Required on lane ad, whose text must also start with ' +
            '(광고), contain this name and end with a free opt-out line (무료수신거부 080-XXX-XXXX)',
        },
      ),
    ),
    recipients: Type.Array(
      Type.Object(
        {
          to: Type.Optional(
            Type.String({
              maxLength: 8192,
              description:
                'Phone number (sms, lms, mms, alimtalk, vms), device token (push) or e-mail (email). ' +
                'On push give exactly one of to, token or userId',
            }),
          ),
          token: Type.Optional(
            Type.String({
              maxLength: 8192,
              description:
                'Push only: a device token (FCM registration token or APNs device token); same as to',
            }),
          ),
          userId: Type.Optional(
            Type.String({
              minLength: 1,
              maxLength: USER_ID_MAX,
              description:
                'Push only: your user id. herald sends the message to every live device registered for ' +
                'the user (PUT /v1/devices), one message per device, listed under devices in ' +
                'GET /v1/requests/:id; with no live device the message fails with HERALD_NO_DEVICES',
            }),
          ),
          app: Type.Optional(
            Type.String({
              minLength: 1,
              maxLength: APP_MAX,
              description:
                "Push to a token only: the app it belongs to (APNs topic, the bundle id). Without it the APNs vendor's default topic applies",
            }),
          ),
          vars: Type.Optional(Vars),
          provider: Type.Optional(
            Type.Enum(PUSH_PROVIDERS, {
              type: 'string',
              description:
                'Push to a token only: the service the token belongs to. Without it herald tells it from the ' +
                "token's shape (APNs: 64 hex characters; FCM: registration token) and refuses a " +
                'token whose shape does not tell (HERALD_UNKNOWN_PUSH_PROVIDER)',
            }),
          ),
          nightAdConsent: Type.Optional(
            Type.Boolean({
              description:
                'Lane ad: you assert this recipient gave separate prior consent to ads at night ' +
                '(정보통신망법 §50③). herald keeps no consent records and trusts this flag; without it ' +
                'an ad (except e-mail) due between 21:00 and 08:00 KST is deferred to 08:00 KST',
            }),
          ),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: MAX_RECIPIENTS },
    ),
    push: Type.Optional(PushOptionsSchema),
    dedup: Type.Optional(
      Type.Object(
        {
          byContent: Type.Boolean({
            description:
              'true: a recipient who was sent the same content on the same channel by an earlier ' +
              'request within windowSeconds is answered duplicate (the earlier messageId), not sent again',
          }),
          windowSeconds: Type.Optional(
            Type.Integer({
              minimum: 1,
              maximum: CONTENT_DEDUP_MAX_WINDOW_SECONDS,
              description:
                'How far back content dedup looks (only with byContent: true). Default: the dedup window (24 h)',
            }),
          ),
        },
        {
          additionalProperties: false,
          description:
            'Content dedup, off by default: without it every request is new (two orders, two messages). ' +
            'For "never the same text to the same person twice in N seconds"',
        },
      ),
    ),
  },
  { additionalProperties: false },
);

/** Set to "true" on a 202 that repeats the stored answer of an earlier request with the same key. */
export const IDEMPOTENT_REPLAYED_HEADER = 'idempotent-replayed';

export const SubmitMessagesHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: IDEMPOTENCY_KEY_MAX,
      description:
        'Makes a retry safe, per client, for the dedup window (24 h by default). The same key with ' +
        'the same body (canonical JSON: member order does not matter) answers the first 202 again, ' +
        'same requestId and message ids, with header Idempotent-Replayed: true, and sends nothing new. ' +
        'The same key with another body: 422 HERALD_IDEMPOTENCY_KEY_REUSED. While the first request ' +
        'is still being accepted: 409 HERALD_IDEMPOTENCY_IN_PROGRESS (retry after Retry-After). A ' +
        'request refused (4xx) or answered 503 stores nothing: retry it with the same key. ' +
        'Without a key, every request is new',
    }),
  ),
});

const SubmittedMessage = Type.Object({
  index: Type.Integer(),
  messageId: Type.Optional(Type.String()),
  status: Type.Optional(Type.Enum(['accepted', 'duplicate'], { type: 'string' })),
  channel: Type.Optional(ChannelSchema),
  error: Type.Optional(ErrorDetail),
});

export const SubmitMessagesResponse = Type.Object(
  {
    requestId: Type.String(),
    accepted: Type.Integer({ description: 'Recipients that became new messages' }),
    duplicates: Type.Integer({
      description: 'Recipients answered with an earlier message (a repeat in this request, or content dedup)',
    }),
    rejected: Type.Integer({ description: 'Recipients refused; each has an error' }),
    messages: Type.Immutable(Type.Array(SubmittedMessage)),
  },
  {
    headers: {
      [IDEMPOTENT_REPLAYED_HEADER]: {
        type: 'string',
        description:
          '"true" when this is the stored answer of an earlier request with the same Idempotency-Key',
      },
    },
  },
);

/** A recipient refused at submission, in the 202 answer and in the request view alike. */
const RejectedRecipient = Type.Object({ index: Type.Integer(), error: ErrorDetail });

/**
 * 422: HERALD_NO_VALID_RECIPIENTS, with `messages` holding each recipient's error; or, without
 * `messages`, HERALD_IDEMPOTENCY_KEY_REUSED or the request's own text reading as an ad outside the ad
 * lane (HERALD_AD_OUTSIDE_AD_LANE).
 */
export const NoValidRecipientsResponse = Type.Object({
  error: ErrorDetail,
  messages: Type.Optional(Type.Immutable(Type.Array(RejectedRecipient))),
});

/** A device message of a push to a user: one per live device the user had when it was sent. */
const DeviceMessage = Type.Object({
  messageId: Type.String({ description: 'The device message, readable with GET /v1/messages/:id' }),
  recipient: Type.String({ description: 'The device token, masked: dGhpcy****' }),
  status: StatusSchema,
  vendor: NullableString,
  attempts: Type.Integer(),
  error: NullableError,
});

const Devices = Type.Immutable(
  Type.Array(DeviceMessage, {
    description:
      'Push to a user (recipient userId) only, once resolved (status expanded): one message per live ' +
      'device of the user, each with its own status. A dead token ends failed HERALD_TOKEN_INVALID and ' +
      'is skipped by later pushes',
  }),
);

/** The SMS/LMS herald sent in place of an AlimTalk message Kakao could not deliver (대체발송). */
const Fallback = Type.Object(
  {
    messageId: Type.String({ description: 'The fallback message, readable with GET /v1/messages/:id' }),
    channel: ChannelSchema,
    status: StatusSchema,
    vendor: NullableString,
  },
  {
    description:
      'AlimTalk only, once undelivered with a fallback: the SMS or LMS (by byte length) carrying the ' +
      "template's fallback text, a message of its own (docs/fallback.md)",
  },
);

/** A recipient of the request that became (or repeated) a message: its current state. */
const RequestMessage = Type.Object({
  index: Type.Integer(),
  messageId: Type.String(),
  status: StatusSchema,
  vendor: NullableString,
  attempts: Type.Integer(),
  error: NullableError,
  duplicate: Type.Boolean({ description: 'Answered with an earlier message (same key)' }),
  devices: Type.Optional(Devices),
  fallback: Type.Optional(Fallback),
});

/**
 * GET /v1/requests/:id: every recipient of the request, in index order, in the shape of the 202
 * answer: one that became a message has its messageId and current status; one that was refused
 * has `{ index, error }` only (no message exists, and it never changes).
 */
export const RequestViewResponse = Type.Object({
  requestId: Type.String(),
  channel: ChannelSchema,
  lane: LaneSchema,
  acceptedAt: Type.Integer({ description: 'Epoch ms' }),
  messages: Type.Immutable(
    Type.Array(Type.Union([RequestMessage, RejectedRecipient]), {
      description:
        'Every recipient by index: a message ({ index, messageId, status, ... }) or a recipient refused ' +
        'at submission ({ index, error }), as in the 202 answer',
    }),
  ),
});

const MessageEventSchema = Type.Object({
  status: StatusSchema,
  at: Type.Integer({ description: 'Epoch ms' }),
  vendor: Type.Optional(Type.String()),
  attempt: Type.Optional(Type.Integer()),
  latencyMs: Type.Optional(Type.Number()),
  errorCode: Type.Optional(Type.String()),
  errorMessage: Type.Optional(Type.String()),
  dedupFailOpen: Type.Optional(Type.Boolean()),
  requestId: Type.Optional(Type.String()),
});

export const MessageViewResponse = Type.Object({
  messageId: Type.String(),
  requestId: Type.String(),
  channel: ChannelSchema,
  lane: LaneSchema,
  recipient: Type.String({
    description: 'Masked: 010****5678, k***@example.com, dGhpcy**** (device token), user:ab**** (push user)',
  }),
  status: StatusSchema,
  vendor: NullableString,
  attempts: Type.Integer(),
  error: NullableError,
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
  events: Type.Immutable(Type.Array(MessageEventSchema)),
  parentMessageId: Type.Optional(
    Type.String({ description: 'A device message: the push to a user it was resolved from' }),
  ),
  devices: Type.Optional(Devices),
  fallback: Type.Optional(Fallback),
  fallbackOf: Type.Optional(
    Type.String({ description: 'A fallback SMS/LMS: the AlimTalk message it stands in for' }),
  ),
});
