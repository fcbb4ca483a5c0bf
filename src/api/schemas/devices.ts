import { Type } from 'typebox';
import { DEVICE_TOKEN_MAX } from '../../core/content/recipients.ts';
import { PUSH_PROVIDERS } from '../../core/domain/push-provider.ts';
import { DEVICE_PLATFORMS } from '../../ports/device-registry.ts';
import { NullableString } from './common.ts';

/** Schemas of /v1/devices and /v1/users/:userId/devices: a client's push tokens, per user. */
const USER_ID_MAX = 255;

const UserId = Type.String({
  minLength: 1,
  maxLength: USER_ID_MAX,
  description: "Your user's id, as you know it (herald keeps it as given, per client)",
});

export const PutDeviceBody = Type.Object(
  {
    token: Type.String({
      minLength: 1,
      maxLength: DEVICE_TOKEN_MAX,
      description:
        'The push token as the app got it: an FCM registration token (`<installation id>:APA91b...`) or ' +
        'an APNs device token (hex, 64 digits today). Stored for sending, never logged, never shown again',
    }),
    provider: Type.Enum(PUSH_PROVIDERS, {
      type: 'string',
      description: "The service that issued the token; must agree with the token's shape",
    }),
    platform: Type.Enum(DEVICE_PLATFORMS, { type: 'string', description: 'android, ios or web' }),
    app: Type.String({
      minLength: 1,
      maxLength: 255,
      description:
        'The app the token belongs to: the bundle id on iOS (the apns-topic), the package name on ' +
        'Android; printable ASCII without spaces',
    }),
    userId: Type.Optional(UserId),
  },
  { additionalProperties: false },
);

export const DeviceTokenParams = Type.Object({
  token: Type.String({
    minLength: 1,
    maxLength: DEVICE_TOKEN_MAX,
    description: 'The token as registered (APNs tokens in either case)',
  }),
});

export const UserDevicesParams = Type.Object({ userId: UserId });

export const DeviceViewResponse = Type.Object({
  tokenMasked: Type.String({ description: 'The first 6 characters of the token, then ****' }),
  tokenHash: Type.String({ description: 'HMAC-SHA-256 of the token: how herald looks it up' }),
  provider: Type.Enum(PUSH_PROVIDERS, { type: 'string' }),
  platform: Type.Enum(DEVICE_PLATFORMS, { type: 'string' }),
  app: Type.String(),
  userId: NullableString,
  createdAt: Type.Integer({ description: 'Epoch ms' }),
  updatedAt: Type.Integer({ description: 'Epoch ms of the last PUT' }),
  deadAt: Type.Union([Type.Integer(), Type.Null()], {
    description: 'Epoch ms when the push service said the token is dead; null while it is live',
  }),
  deadReason: Type.Union([Type.String(), Type.Null()], {
    description: "The push service's reason (FCM UNREGISTERED, APNs Unregistered); null while live",
  }),
});

export const UserDevicesResponse = Type.Object({
  devices: Type.Array(DeviceViewResponse, {
    description: "The user's devices, oldest first, live and dead; a dead one is skipped when sending",
  }),
});
