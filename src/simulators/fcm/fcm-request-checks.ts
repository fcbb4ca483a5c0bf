import type { HttpAnswer } from '../wire-contract.ts';
import { fcmInvalidArgument } from './fcm-status.ts';

/** A send request that passed FCM's checks, reduced to what the simulator needs. */
export interface CheckedFcmRequest {
  readonly validateOnly: boolean;
  /** The device token; undefined for a topic or condition message. */
  readonly token: string | undefined;
  /** What the simulator counts the delivery under: `data.herald_message_id`, else the target. */
  readonly countId: string;
}

export type FcmCheck =
  | { readonly ok: true; readonly request: CheckedFcmRequest }
  | { readonly ok: false; readonly answer: HttpAnswer };

type Json = Record<string, unknown>;

/** The API takes proto field names in snake_case and JSON names in camelCase alike. */
const REQUEST_FIELDS = new Set(['message', 'validate_only', 'validateOnly']);
const MESSAGE_FIELDS = new Set([
  ...['name', 'data', 'notification', 'android', 'webpush', 'apns', 'fcm_options', 'fcmOptions'],
  ...['token', 'topic', 'condition', 'fid'],
]);
const TARGETS = ['token', 'topic', 'condition', 'fid'] as const;
/** FCM's reserved data keys (the ErrorCode and Message reference pages). */
const RESERVED_DATA_KEY = /^(?:from|message_type|google\..*|gcm\..*)$/;
/** google.protobuf.Duration in JSON: seconds with up to nine fractional digits and an `s`. */
const DURATION = /^\d+(?:\.\d{1,9})?s$/;
/** FCM keeps an undelivered message at most four weeks. */
const MAX_TTL_SECONDS = 28 * 24 * 3_600;
/** Payload limit for a message to a token (topic messages: 2048 in the docs; not modelled). */
export const FCM_PAYLOAD_LIMIT_BYTES = 4_096;
const TOKEN_SHAPE = /^[A-Za-z0-9_:-]+$/;

/**
 * Checks a `messages:send` body the way FCM does, answering the first problem found with FCM's
 * INVALID_ARGUMENT body (field named in a google.rpc.BadRequest detail where FCM names one).
 */
export function checkFcmRequest(rawBody: Buffer): FcmCheck {
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return fail(fcmInvalidArgument('Invalid JSON payload received. Unexpected token.'));
  }
  if (!isObject(body)) return fail(fcmInvalidArgument('Invalid JSON payload received. Expected an object.'));
  const unknown = unknownField(body, REQUEST_FIELDS, '');
  if (unknown !== undefined) return fail(unknown);
  const message = body.message;
  if (!isObject(message)) return fail(fcmInvalidArgument('The message is not set.', 'message'));
  const problem = messageProblem(message);
  if (problem !== undefined) return fail(problem);
  const validateOnly = (body.validate_only ?? body.validateOnly) === true;
  const target = TARGETS.map((name) => message[name]).find((value) => value !== undefined) as string;
  const token = typeof message.token === 'string' ? message.token : undefined;
  const heraldId = (message.data as Json | undefined)?.herald_message_id;
  return {
    ok: true,
    request: { validateOnly, token, countId: typeof heraldId === 'string' ? heraldId : target },
  };
}

function messageProblem(message: Json): HttpAnswer | undefined {
  return (
    unknownField(message, MESSAGE_FIELDS, 'message.') ??
    targetProblem(message) ??
    stringMapProblem(message.data, 'message.data', true) ??
    notificationProblem(message.notification) ??
    androidProblem(message.android) ??
    apnsProblem(message.apns) ??
    webpushProblem(message.webpush) ??
    sizeProblem(message)
  );
}

function targetProblem(message: Json): HttpAnswer | undefined {
  const given = TARGETS.filter((name) => message[name] !== undefined);
  if (given.length === 0) return fcmInvalidArgument('Recipient of the message is not set.', 'message');
  if (given.length > 1) {
    return fcmInvalidArgument(
      `Invalid value at 'message' (oneof), oneof field 'target' is already set. Cannot overwrite with '${given[1]}'`,
      'message',
    );
  }
  const name = given[0]!;
  const value = message[name];
  if (typeof value !== 'string') return typeProblem(`message.${name}`, 'TYPE_STRING', value);
  if (name === 'token' && (value === '' || !TOKEN_SHAPE.test(value))) {
    // FCM's message; the BadRequest detail naming the field is the simulator's addition, so a
    // sender can tell a malformed token from a malformed message by data, not by text.
    return fcmInvalidArgument(
      'The registration token is not a valid FCM registration token',
      'message.token',
    );
  }
  return undefined;
}

function stringMapProblem(value: unknown, at: string, checkReserved = false): HttpAnswer | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) return typeProblem(at, 'TYPE_MAP', value);
  const entries = Object.entries(value);
  for (const [index, [key, item]] of entries.entries()) {
    if (typeof item !== 'string') return typeProblem(`${at}[${index}].value`, 'TYPE_STRING', item);
    if (checkReserved && RESERVED_DATA_KEY.test(key)) {
      return fcmInvalidArgument(
        `Invalid data payload key: ${key}. The key is reserved.`,
        `${at}[${index}].key`,
      );
    }
  }
  return undefined;
}

function notificationProblem(value: unknown): HttpAnswer | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) return typeProblem('message.notification', 'TYPE_MESSAGE', value);
  const unknown = unknownField(value, new Set(['title', 'body', 'image']), 'message.notification.');
  if (unknown !== undefined) return unknown;
  for (const name of ['title', 'body', 'image']) {
    if (value[name] !== undefined && typeof value[name] !== 'string') {
      return typeProblem(`message.notification.${name}`, 'TYPE_STRING', value[name]);
    }
  }
  return undefined;
}

function androidProblem(value: unknown): HttpAnswer | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) return typeProblem('message.android', 'TYPE_MESSAGE', value);
  const { priority, ttl } = value;
  if (priority !== undefined && !(typeof priority === 'string' && /^(?:normal|high)$/i.test(priority))) {
    return fcmInvalidArgument(
      `Invalid value at 'message.android.priority' (type.googleapis.com/google.firebase.fcm.v1.AndroidMessagePriority), ${JSON.stringify(priority)}`,
      'message.android.priority',
    );
  }
  if (ttl !== undefined) {
    if (typeof ttl !== 'string' || !DURATION.test(ttl)) {
      return fcmInvalidArgument(
        `Invalid value at 'message.android.ttl' (type.googleapis.com/google.protobuf.Duration), ${JSON.stringify(ttl)}`,
        'message.android.ttl',
      );
    }
    if (Number.parseFloat(ttl) > MAX_TTL_SECONDS) {
      return fcmInvalidArgument('The TTL must not exceed 4 weeks (2419200s).', 'message.android.ttl');
    }
  }
  return stringMapProblem(value.data, 'message.android.data', true);
}

function apnsProblem(value: unknown): HttpAnswer | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) return typeProblem('message.apns', 'TYPE_MESSAGE', value);
  if (value.payload !== undefined && !isObject(value.payload)) {
    return typeProblem('message.apns.payload', 'TYPE_MESSAGE', value.payload);
  }
  return stringMapProblem(value.headers, 'message.apns.headers');
}

function webpushProblem(value: unknown): HttpAnswer | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) return typeProblem('message.webpush', 'TYPE_MESSAGE', value);
  if (value.notification !== undefined && !isObject(value.notification)) {
    return typeProblem('message.webpush.notification', 'TYPE_MESSAGE', value.notification);
  }
  return (
    stringMapProblem(value.headers, 'message.webpush.headers') ??
    stringMapProblem(value.data, 'message.webpush.data', true)
  );
}

/** The payload FCM measures: what reaches the device, not the target or the envelope. */
function sizeProblem(message: Json): HttpAnswer | undefined {
  const { token: _token, topic: _topic, condition: _condition, fid: _fid, name: _name, ...payload } = message;
  const bytes = Buffer.byteLength(JSON.stringify(payload));
  if (bytes <= FCM_PAYLOAD_LIMIT_BYTES) return undefined;
  return fcmInvalidArgument(
    `Message is too big: ${bytes} bytes, the limit is ${FCM_PAYLOAD_LIMIT_BYTES}.`,
    'message',
  );
}

function unknownField(record: Json, known: ReadonlySet<string>, at: string): HttpAnswer | undefined {
  const name = Object.keys(record).find((key) => !known.has(key));
  if (name === undefined) return undefined;
  const where = at === '' ? '' : ` at '${at.slice(0, -1)}'`;
  return fcmInvalidArgument(
    `Invalid JSON payload received. Unknown name "${name}"${where}: Cannot find field.`,
  );
}

function typeProblem(at: string, type: string, value: unknown): HttpAnswer {
  return fcmInvalidArgument(`Invalid value at '${at}' (${type}), ${JSON.stringify(value)}`, at);
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(answer: HttpAnswer): FcmCheck {
  return { ok: false, answer };
}
