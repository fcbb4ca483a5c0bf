/**
 * The push services a device token can belong to. A token is an address at one of them only: an
 * APNs device token means nothing to FCM and the reverse, so push routing never crosses providers
 * (weights and failover apply among the vendors of one provider). Issue #9's device registry will
 * hand over `{ token, provider }` pairs; until then the client says it, or the token's shape does.
 */
export const PUSH_PROVIDERS = ['fcm', 'apns'] as const;
export type PushProvider = (typeof PUSH_PROVIDERS)[number];

export function isPushProvider(value: unknown): value is PushProvider {
  return typeof value === 'string' && (PUSH_PROVIDERS as readonly string[]).includes(value);
}

/**
 * APNs device tokens are raw bytes (32 today) that apps send as hex: 64 hex digits. Apple warns the
 * length may grow, so any even count of hex digits from 64 to 200 (100 bytes) is taken as APNs.
 */
const APNS_TOKEN = /^(?:[0-9a-fA-F]{2}){32,100}$/;
/**
 * FCM registration tokens are URL-safe base64 text: today `<installation id>:APA91b...`, about 150
 * to 165 characters with a colon; older (GCM-era) tokens have no colon but are 119+ characters with
 * `-` or `_` among them. Hex digits alone never make one.
 */
const FCM_CHARACTERS = /^[A-Za-z0-9_:-]+$/;
const FCM_LEGACY_MIN_LENGTH = 100;

/** The provider a token's shape says it belongs to, or undefined when the shape does not tell. */
export function inferPushProvider(token: string): PushProvider | undefined {
  if (APNS_TOKEN.test(token)) return 'apns';
  if (!FCM_CHARACTERS.test(token)) return undefined;
  if (token.includes(':')) return 'fcm';
  return token.length >= FCM_LEGACY_MIN_LENGTH && /[-_]/.test(token) ? 'fcm' : undefined;
}
