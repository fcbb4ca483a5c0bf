import type { DevicePlatform, DeviceRegistration } from '../../ports/device-registry.ts';
import { HeraldError } from '../domain/errors.ts';
import { inferPushProvider, type PushProvider } from '../domain/push-provider.ts';
import { hashRecipient } from '../identity/recipient-privacy.ts';

/** A PUT /v1/devices body once its schema passed: lengths and enums are checked, shapes are not. */
export interface DeviceInput {
  readonly token: string;
  readonly provider: PushProvider;
  readonly platform: DevicePlatform;
  readonly app: string;
  readonly userId?: string;
}

/**
 * The registration herald stores for a client's device, or the HeraldError that says what to fix.
 * The token must have its provider's shape (push-provider.ts): a token the shape says belongs to
 * the other service is refused here rather than sent to a service that would answer "bad token"
 * for each message. The app becomes an HTTP/2 header (apns-topic), hence printable ASCII only.
 */
export function checkDeviceRegistration(
  clientId: string,
  input: DeviceInput,
  recipientHashSecret: string,
): DeviceRegistration {
  const token = checkToken(input.token, input.provider);
  if (input.provider === 'apns' && input.platform === 'android') {
    throw new HeraldError(
      'HERALD_VALIDATION_FAILED',
      'platform android cannot go with provider apns: APNs delivers to Apple devices only; an Android ' +
        'device has an FCM registration token (provider "fcm")',
      { field: 'platform' },
    );
  }
  if (!HEADER_SAFE.test(input.app)) {
    throw new HeraldError(
      'HERALD_VALIDATION_FAILED',
      'app must be printable ASCII without spaces: the bundle id (iOS, the apns-topic, e.g. ' +
        'com.example.shop) or the package name (Android)',
      { field: 'app' },
    );
  }
  if (input.userId !== undefined) checkUserId(input.userId, 'userId');
  return {
    clientId,
    token,
    tokenHash: hashRecipient(token, recipientHashSecret),
    provider: input.provider,
    platform: input.platform,
    app: input.app,
    ...(input.userId !== undefined && { userId: input.userId }),
  };
}

/**
 * A token as herald stores and looks it up. APNs tokens are hex, which apps print in either case:
 * lower case, so a DELETE in another case than the PUT finds the device. FCM tokens are
 * case-sensitive and stay as given.
 */
export function canonicalToken(token: string): string {
  return inferPushProvider(token) === 'apns' ? token.toLowerCase() : token;
}

/** A client's user id as given, unless it cannot be stored as text (control characters, lone surrogates). */
export function checkUserId(userId: string, field: string): void {
  if (userId.isWellFormed() && !CONTROL.test(userId)) return;
  throw new HeraldError(
    'HERALD_VALIDATION_FAILED',
    `${field} must not contain control characters or unpaired UTF-16 surrogates`,
    { field },
  );
}

const HEADER_SAFE = /^[\x21-\x7E]+$/;
/** C0, DEL and C1: PostgreSQL text cannot even hold NUL. */
const CONTROL = /\p{Cc}/u;

function checkToken(token: string, provider: PushProvider): string {
  const shape = inferPushProvider(token);
  if (shape === provider) return canonicalToken(token);
  const mismatch =
    shape === undefined
      ? ''
      : ` It looks like ${shape === 'apns' ? 'an APNs device token' : 'an FCM registration token'}: ` +
        `give provider "${shape}" if it is one.`;
  throw new HeraldError('HERALD_INVALID_DEVICE_TOKEN', `${TOKEN_SHAPES[provider]}${mismatch}`, {
    field: 'token',
  });
}

const TOKEN_SHAPES: Record<PushProvider, string> = {
  apns:
    'token is not an APNs device token: those are hex digits, 64 for the 32 bytes Apple issues today ' +
    '(up to 200), as the app receives them in didRegisterForRemoteNotificationsWithDeviceToken.',
  fcm:
    'token is not an FCM registration token: those are URL-safe base64 text, about 150 characters, ' +
    '`<installation id>:APA91b...`; send the token FirebaseMessaging getToken() returned, as it is.',
};
