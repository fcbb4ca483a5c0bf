import { Type } from 'typebox';
import { PUSH_PROVIDERS } from '../../core/domain/push-provider.ts';
import { MAX_RECIPIENTS } from '../../core/submission/check-request.ts';
import { APP_MAX, USER_ID_MAX } from '../../core/submission/recipient-forms.ts';
import { ErrorDetail } from './common.ts';
import { PlaceholderVars } from './placeholder-vars.ts';

/** The request's `recipients`: who gets the message, each with their own vars and flags. */
export const RecipientsSchema = Type.Array(
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
          description: 'Push only: a device token (FCM registration token or APNs device token); same as to',
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
      vars: Type.Optional(PlaceholderVars),
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
);

/** A recipient refused at submission, in the 202 answer and in the request view alike. */
export const RejectedRecipient = Type.Object({ index: Type.Integer(), error: ErrorDetail });
