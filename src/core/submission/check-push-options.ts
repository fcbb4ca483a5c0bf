import { hasLineBreakingControl } from '../content/rules/control-characters.ts';
import { APNS_COLLAPSE_ID_MAX_BYTES, APNS_PRIORITIES, APNS_PUSH_TYPES } from '../domain/apns-rules.ts';
import { HeraldError } from '../domain/errors.ts';
import type { PushOptions } from '../domain/push-message.ts';
import type { SubmissionRequest } from './submission-types.ts';

export { APNS_COLLAPSE_ID_MAX_BYTES, APNS_PUSH_TYPES };

/**
 * The request's `push` options, checked once for the request (every recipient gets the same) with
 * the rules FCM and APNs apply, so a message they would refuse for good is refused at the API with
 * the field named (400 HERALD_VALIDATION_FAILED) instead of failing later in history. The schema
 * has checked the shapes; the size of the whole push payload is a content rule
 * (content/rules/push-payload-size.ts), since it depends on each recipient's rendered text.
 */
export const ANDROID_TTL_MAX_SECONDS = 28 * 24 * 60 * 60;
export const PUSH_DATA_MAX_BYTES = 4096;
/** Headers herald sets from the message itself: a client's value would break delivery or dedup. */
const HERALD_APNS_HEADERS: Readonly<Record<string, string>> = {
  'apns-id': "herald sets it to the message's id",
  'apns-expiration': 'herald sets it from the expiry; use expiresInSeconds',
  'apns-topic': "herald sets it from the device's app; give recipients[].app or register the device's app",
};
const APNS_HEADER_NAME = /^apns-[a-z0-9-]+$/;
/** RFC 9110 token characters: what an HTTP header name may be made of. */
const HTTP_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEADER_VALUE_MAX = 255;

export function checkPushOptions(request: Pick<SubmissionRequest, 'channel' | 'push'>): void {
  const { push } = request;
  if (push === undefined) return;
  if (request.channel !== 'push') {
    throw invalid('push', `applies to channel push only; remove it for ${request.channel}`);
  }
  if (push.image !== undefined) checkHttpsUrl(push.image, 'push.image');
  if (push.data !== undefined) checkData(push.data, 'push.data');
  checkAndroid(push.android);
  if (push.apns?.headers !== undefined) checkApnsHeaders(push.apns.headers);
  if (push.apns?.payload !== undefined) checkApnsPayload(push.apns.payload);
  checkWebpush(push.webpush);
}

function checkHttpsUrl(value: string, field: string): void {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (url?.protocol !== 'https:') throw invalid(field, 'must be an https:// URL');
}

/** FCM's rules for `data`: string values (the schema), no reserved keys, 4 KB in all. */
function checkData(data: Readonly<Record<string, string>>, field: string): void {
  let bytes = 0;
  for (const [key, value] of Object.entries(data)) {
    const reserved = reservedDataKey(key);
    if (reserved) throw invalid(`${field}[${JSON.stringify(key)}]`, reserved);
    bytes += Buffer.byteLength(key) + Buffer.byteLength(value);
  }
  if (bytes > PUSH_DATA_MAX_BYTES) {
    throw invalid(field, `is ${bytes} bytes of keys and values; FCM takes at most ${PUSH_DATA_MAX_BYTES}`);
  }
}

function reservedDataKey(key: string): string | undefined {
  if (key.length === 0) return 'is an empty key';
  if (key === 'from' || key === 'message_type' || key.startsWith('google.') || key.startsWith('gcm.')) {
    return 'is a key FCM reserves (from, message_type, google.*, gcm.*); rename it';
  }
  if (key.startsWith('herald_')) return 'is a key herald reserves for its own fields (herald_*); rename it';
  return undefined;
}

function checkAndroid(android: PushOptions['android']): void {
  const ttl = android?.ttlSeconds;
  if (ttl !== undefined && !(Number.isInteger(ttl) && ttl >= 0 && ttl <= ANDROID_TTL_MAX_SECONDS)) {
    throw invalid(
      'push.android.ttlSeconds',
      `must be a whole number of seconds from 0 to ${ANDROID_TTL_MAX_SECONDS} (28 days, FCM's longest)`,
    );
  }
  const collapseKey = android?.collapseKey;
  if (collapseKey !== undefined && (collapseKey.length === 0 || hasLineBreakingControl(collapseKey))) {
    throw invalid('push.android.collapseKey', 'must be non-empty text without control characters');
  }
}

function checkApnsHeaders(headers: Readonly<Record<string, string>>): void {
  for (const [name, value] of Object.entries(headers)) {
    const field = `push.apns.headers[${JSON.stringify(name)}]`;
    if (!APNS_HEADER_NAME.test(name)) {
      throw invalid(
        field,
        'is not an APNs header: names are lower case and start with apns- ' +
          '(apns-priority, apns-push-type, apns-collapse-id...)',
      );
    }
    const owned = HERALD_APNS_HEADERS[name];
    if (owned) throw invalid(field, `cannot be set: ${owned}`);
    const problem = apnsHeaderValueProblem(name, value);
    if (problem) throw invalid(field, problem);
  }
  if (headers['apns-push-type'] === 'background' && (headers['apns-priority'] ?? '5') !== '5') {
    throw invalid(
      'push.apns.headers["apns-priority"]',
      'must be 5 with apns-push-type background (APNs refuses 10 for it)',
    );
  }
}

function apnsHeaderValueProblem(name: string, value: string): string | undefined {
  switch (name) {
    case 'apns-priority':
      return APNS_PRIORITIES.includes(value) ? undefined : 'must be "10", "5" or "1"';
    case 'apns-push-type':
      return (APNS_PUSH_TYPES as readonly string[]).includes(value)
        ? undefined
        : `must be one of ${APNS_PUSH_TYPES.join(', ')}`;
    case 'apns-collapse-id': {
      const bytes = Buffer.byteLength(value);
      if (bytes === 0 || bytes > APNS_COLLAPSE_ID_MAX_BYTES) {
        return `must be 1 to ${APNS_COLLAPSE_ID_MAX_BYTES} bytes (it is ${bytes})`;
      }
      return hasLineBreakingControl(value) ? 'must not contain control characters' : undefined;
    }
    default:
      return headerValueProblem(value);
  }
}

function headerValueProblem(value: string): string | undefined {
  if (value.length > HEADER_VALUE_MAX) return `must be at most ${HEADER_VALUE_MAX} characters`;
  return hasLineBreakingControl(value) ? 'must not contain control characters' : undefined;
}

function checkApnsPayload(payload: Readonly<Record<string, unknown>>): void {
  const aps = payload.aps;
  if (aps !== undefined && (typeof aps !== 'object' || aps === null || Array.isArray(aps))) {
    throw invalid('push.apns.payload.aps', 'must be an object (badge, sound, thread-id...)');
  }
}

function checkWebpush(webpush: PushOptions['webpush']): void {
  if (webpush === undefined) return;
  for (const [name, value] of Object.entries(webpush.headers ?? {})) {
    const field = `push.webpush.headers[${JSON.stringify(name)}]`;
    if (!HTTP_TOKEN.test(name)) throw invalid(field, 'is not an HTTP header name (TTL, Urgency, Topic...)');
    const problem = headerValueProblem(value);
    if (problem) throw invalid(field, problem);
  }
  if (webpush.data !== undefined) checkData(webpush.data, 'push.webpush.data');
  if (webpush.link !== undefined) checkHttpsUrl(webpush.link, 'push.webpush.link');
}

function invalid(field: string, problem: string): HeraldError {
  return new HeraldError('HERALD_VALIDATION_FAILED', `${field} ${problem}`, { field });
}
