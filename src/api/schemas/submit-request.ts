import { Type } from 'typebox';
import { AlimTalkTemplateSchema } from './alimtalk.ts';
import { ChannelSchema, LaneSchema } from './channel-lane-status.ts';
import { ContentDedupSchema } from './content-dedup.ts';
import { InlineContentSchema } from './inline-content.ts';
import { MmsOptionsSchema } from './mms-images.ts';
import { PushOptionsSchema } from './push-options.ts';
import { RecipientsSchema } from './recipients.ts';
import { VmsOptionsSchema } from './vms-options.ts';

/**
 * Schemas of the public API. The same objects validate requests (Ajv) and generate the OpenAPI
 * document (@fastify/swagger), so the document cannot drift from what the server accepts.
 *
 * The schemas check shape and gross size only. Channel-specific rules (EUC-KR, byte limits, phone
 * formats) live in the submission use-case, because they are per recipient: one bad phone number
 * must reject that recipient, not the request.
 */

/** POST /v1/messages: the request body, its members' schemas each in the file of its concept. */
export const SubmitMessagesBody = Type.Object(
  {
    channel: ChannelSchema,
    lane: LaneSchema,
    content: Type.Optional(InlineContentSchema),
    mms: Type.Optional(MmsOptionsSchema),
    template: Type.Optional(AlimTalkTemplateSchema),
    expiresInSeconds: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 30 * 24 * 60 * 60, description: 'Give up after this long' }),
    ),
    from: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 254,
        description:
          "sms, lms, mms, vms: the sender number (발신번호; a VMS call's caller id), one registered for your client (GET /v1/sender-numbers); " +
          'default: your default number. alimtalk: the number its SMS/LMS fallback goes from (default: your ' +
          'default number). email: an address registered for your client (GET /v1/email-senders), sent with ' +
          'its registered display name; default: your default address. Unregistered: 422 ' +
          'HERALD_SENDER_NOT_REGISTERED. Not for push',
      }),
    ),
    replyTo: Type.Optional(
      Type.String({
        minLength: 3,
        maxLength: 254,
        description:
          'email only: the Reply-To address, one plain address (no display name, no list). A control character ' +
          '(CR, LF...) is 400 HERALD_CONTROL_CHARACTER',
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
    recipients: RecipientsSchema,
    push: Type.Optional(PushOptionsSchema),
    vms: Type.Optional(VmsOptionsSchema),
    dedup: Type.Optional(ContentDedupSchema),
  },
  { additionalProperties: false },
);
