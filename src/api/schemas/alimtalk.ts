import { Type } from 'typebox';
import { ChannelSchema, StatusSchema } from './channel-lane-status.ts';
import { NullableString } from './common.ts';
import { PlaceholderVars } from './placeholder-vars.ts';

/** The request's `template` member: what an AlimTalk message sends in place of inline content. */
export const AlimTalkTemplateSchema = Type.Object(
  { code: Type.String({ minLength: 1, maxLength: 64 }), vars: Type.Optional(PlaceholderVars) },
  { additionalProperties: false, description: 'A registered AlimTalk template (alimtalk only)' },
);

/** The SMS/LMS herald sent in place of an AlimTalk message Kakao could not deliver (대체발송). */
export const AlimTalkFallback = Type.Object(
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
