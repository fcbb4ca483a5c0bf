import { Type } from 'typebox';
import { VMS_HEADER_TAIL_MAX_CHARS, VMS_VOICE_TYPES } from '../../core/domain/vms-options.ts';

/**
 * The request's `vms` member: shapes only. The core checks the rules with their own codes
 * (check-vms-options.ts): header and tail length, tail only with a header, replyRange 1-9,
 * replyRange and counselorNumber exclusive, the counselor number a Korean number.
 */
export const VmsOptionsSchema = Type.Object(
  {
    voiceType: Type.Optional(
      Type.Enum([...VMS_VOICE_TYPES], {
        type: 'string',
        description: 'The synthesised voice (SOLAPI voiceType FEMALE/MALE); default female',
      }),
    ),
    headerMessage: Type.Optional(
      Type.String({
        maxLength: 1000,
        description: `Read first; the recipient presses a key to hear the body. At most ${VMS_HEADER_TAIL_MAX_CHARS} characters`,
      }),
    ),
    tailMessage: Type.Optional(
      Type.String({
        maxLength: 1000,
        description:
          `Read at the end, after the recipient pressed a reply key; needs headerMessage. At most ${VMS_HEADER_TAIL_MAX_CHARS} ` +
          'characters; not played when the call goes to the counselor',
      }),
    ),
    replyRange: Type.Optional(
      Type.Number({
        description:
          'The keys the recipient may press, 1 to 9 (1: key 1 only; 9: keys 1-9). Excludes counselorNumber',
      }),
    ),
    counselorNumber: Type.Optional(
      Type.String({
        maxLength: 20,
        description:
          'The number the call is put through to when the recipient presses 0. Excludes replyRange',
      }),
    ),
  },
  {
    additionalProperties: false,
    description: 'Channel vms only: how the voice message is read out (the same for every recipient)',
  },
);
