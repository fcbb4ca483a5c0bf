import { Type } from 'typebox';
import { CARRIERS } from '../../core/domain/carrier.ts';
import { AlimTalkFallback } from './alimtalk.ts';
import { ChannelSchema, LaneSchema, StatusSchema } from './channel-lane-status.ts';
import { NullableError, NullableString } from './common.ts';

/** The network a text message reached, as the vendor's delivery receipt named it. */
const CarrierSchema = Type.Enum(CARRIERS, {
  type: 'string',
  description: 'SKT, KT, LGU+, MVNO (an MVNO whose parent network the vendor does not name) or unknown',
});

import { DeviceMessages } from './push-device-messages.ts';
import { RejectedRecipient } from './recipients.ts';

/** A recipient of the request that became (or repeated) a message: its current state. */
const RequestMessage = Type.Object({
  index: Type.Integer(),
  messageId: Type.String(),
  status: StatusSchema,
  vendor: NullableString,
  attempts: Type.Integer(),
  error: NullableError,
  duplicate: Type.Boolean({ description: 'Answered with an earlier message (same key)' }),
  devices: Type.Optional(DeviceMessages),
  fallback: Type.Optional(AlimTalkFallback),
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
  vendorMessageId: Type.Optional(Type.String({ description: "On sent: the vendor's id for the message" })),
  carrier: Type.Optional(CarrierSchema),
  resultCode: Type.Optional(
    Type.String({ description: "On delivered/undelivered: the vendor's own result code" }),
  ),
});

/** GET /v1/messages/:id. */
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
  devices: Type.Optional(DeviceMessages),
  fallback: Type.Optional(AlimTalkFallback),
  fallbackOf: Type.Optional(
    Type.String({ description: 'A fallback SMS/LMS: the AlimTalk message it stands in for' }),
  ),
  vendorMessageId: Type.Optional(
    Type.String({ description: "The vendor's id for the message, once sent (its receipts name it)" }),
  ),
  carrier: Type.Optional(CarrierSchema),
});
