import { Type } from 'typebox';
import { AD_CHANNELS } from '../../core/content/ad-marking.ts';
import { CHANNELS } from '../../core/domain/channel.ts';

/** Schemas of /v1/opt-outs: a client's list of recipients who refused its ads (정보통신망법 §50②). */
export const OptOutBody = Type.Object(
  {
    channel: Type.Enum(AD_CHANNELS, {
      type: 'string',
      description: 'The channel the recipient refused ads on; sms, lms and mms share one list',
    }),
    to: Type.String({
      minLength: 1,
      maxLength: 8192,
      description: 'Phone number, device token or e-mail address; stored only as a keyed hash',
    }),
  },
  { additionalProperties: false },
);

export const OptOutResponse = Type.Object({
  channel: Type.Enum(CHANNELS, { type: 'string', description: 'The list it is on (sms for lms and mms)' }),
  optedOut: Type.Boolean({ description: 'Whether the recipient is on the list now' }),
});
