import { Type } from 'typebox';
import { CHANNELS } from '../../core/domain/channel.ts';
import { LANES } from '../../core/domain/lane.ts';
import { MESSAGE_STATUSES } from '../../core/domain/message-status.ts';
import { PUSH_PROVIDERS } from '../../core/domain/push-provider.ts';
import { IDEMPOTENCY_KEY_MAX, MAX_RECIPIENTS } from '../../core/submission/check-request.ts';
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
const StatusSchema = Type.Enum(MESSAGE_STATUSES, { type: 'string' });

/** Largest body any channel accepts (email, 512 KiB); the channel's own limit is checked later. */
const BODY_MAX_CHARACTERS = 512 * 1024;

const Vars = Type.Record(Type.String(), Type.String({ maxLength: 4000 }), {
  maxProperties: 100,
  description: 'Values for #{name} placeholders',
});

export const SubmitMessagesBody = Type.Object(
  {
    channel: ChannelSchema,
    lane: LaneSchema,
    content: Type.Optional(
      Type.Object(
        {
          subject: Type.Optional(Type.String({ minLength: 1, maxLength: 998 })),
          body: Type.String({ minLength: 1, maxLength: BODY_MAX_CHARACTERS }),
        },
        { additionalProperties: false, description: 'Inline text; #{name} placeholders take recipient vars' },
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
          to: Type.String({
            maxLength: 8192,
            description: 'Phone number (sms, lms, mms, alimtalk, vms), device token (push) or e-mail (email)',
          }),
          vars: Type.Optional(Vars),
          provider: Type.Optional(
            Type.Enum(PUSH_PROVIDERS, {
              type: 'string',
              description:
                'Push only: the service the token belongs to. Without it herald tells it from the ' +
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
  },
  { additionalProperties: false },
);

export const SubmitMessagesHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: IDEMPOTENCY_KEY_MAX,
      description: 'Repeating a request with the same key answers with the same message ids',
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

export const SubmitMessagesResponse = Type.Object({
  requestId: Type.String(),
  accepted: Type.Integer({ description: 'Recipients that became new messages' }),
  duplicates: Type.Integer({ description: 'Recipients answered with an earlier message' }),
  rejected: Type.Integer({ description: 'Recipients refused; each has an error' }),
  messages: Type.Immutable(Type.Array(SubmittedMessage)),
});

/**
 * 422: no recipient was usable, and `messages` holds each one's error; or the request's own text
 * reads as an ad outside the ad lane (HERALD_AD_OUTSIDE_AD_LANE), without `messages`.
 */
export const NoValidRecipientsResponse = Type.Object({
  error: ErrorDetail,
  messages: Type.Optional(
    Type.Immutable(Type.Array(Type.Object({ index: Type.Integer(), error: ErrorDetail }))),
  ),
});

export const RequestViewResponse = Type.Object({
  requestId: Type.String(),
  channel: ChannelSchema,
  lane: LaneSchema,
  acceptedAt: Type.Integer({ description: 'Epoch ms' }),
  messages: Type.Immutable(
    Type.Array(
      Type.Object({
        index: Type.Integer(),
        messageId: Type.String(),
        status: StatusSchema,
        vendor: NullableString,
        attempts: Type.Integer(),
        error: NullableError,
        duplicate: Type.Boolean({ description: 'Answered with an earlier message (same key)' }),
      }),
    ),
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
  recipient: Type.String({ description: 'Masked: 010****5678, k***@example.com' }),
  status: StatusSchema,
  vendor: NullableString,
  attempts: Type.Integer(),
  error: NullableError,
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
  events: Type.Immutable(Type.Array(MessageEventSchema)),
});
