import { Type } from 'typebox';
import { StatusSchema } from './channel-lane-status.ts';
import { NullableError, NullableString } from './common.ts';

/** A device message of a push to a user: one per live device the user had when it was sent. */
const DeviceMessage = Type.Object({
  messageId: Type.String({ description: 'The device message, readable with GET /v1/messages/:id' }),
  recipient: Type.String({ description: 'The device token, masked: dGhpcy****' }),
  status: StatusSchema,
  vendor: NullableString,
  attempts: Type.Integer(),
  error: NullableError,
});

/** `devices` of the request and message views. */
export const DeviceMessages = Type.Immutable(
  Type.Array(DeviceMessage, {
    description:
      'Push to a user (recipient userId) only, once resolved (status expanded): one message per live ' +
      'device of the user, each with its own status. A dead token ends failed HERALD_TOKEN_INVALID and ' +
      'is skipped by later pushes',
  }),
);
