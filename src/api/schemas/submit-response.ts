import { Type } from 'typebox';
import { ChannelSchema } from './channel-lane-status.ts';
import { ErrorDetail } from './common.ts';
import { IDEMPOTENT_REPLAYED_HEADER } from './idempotency-key.ts';
import { RejectedRecipient } from './recipients.ts';

const SubmittedMessage = Type.Object({
  index: Type.Integer(),
  messageId: Type.Optional(Type.String()),
  status: Type.Optional(Type.Enum(['accepted', 'duplicate'], { type: 'string' })),
  channel: Type.Optional(ChannelSchema),
  error: Type.Optional(ErrorDetail),
});

/** The 202 answer of POST /v1/messages. */
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

/**
 * 422: HERALD_NO_VALID_RECIPIENTS, with `messages` holding each recipient's error; or, without
 * `messages`, HERALD_IDEMPOTENCY_KEY_REUSED or the request's own text reading as an ad outside the ad
 * lane (HERALD_AD_OUTSIDE_AD_LANE).
 */
export const NoValidRecipientsResponse = Type.Object({
  error: ErrorDetail,
  messages: Type.Optional(Type.Immutable(Type.Array(RejectedRecipient))),
});
