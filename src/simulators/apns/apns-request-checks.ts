import type { IncomingHttpHeaders } from 'node:http2';
import {
  APNS_COLLAPSE_ID_MAX_BYTES,
  APNS_PRIORITIES,
  APNS_PUSH_TYPES,
} from '../../core/domain/apns-rules.ts';
import type { ApnsReason } from './apns-reasons.ts';

/** Apple's payload limits: 4 KB, 5 KB for VoIP. */
export const APNS_PAYLOAD_LIMIT_BYTES = 4_096;
export const APNS_VOIP_PAYLOAD_LIMIT_BYTES = 5_120;
const PUSH_TYPES: ReadonlySet<string> = new Set(APNS_PUSH_TYPES);
const PRIORITIES: ReadonlySet<string> = new Set(APNS_PRIORITIES);
/** 32 bytes today; Apple warns it may grow: any even count of hex digits from 64 to 200. */
const DEVICE_TOKEN = /^(?:[0-9a-fA-F]{2}){32,100}$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** A bundle id, with the .voip / .complication / ... suffixes being more of the same. */
const TOPIC = /^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$/;

export type Checked<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: ApnsReason };

/** `POST /3/device/<token>`: the token segment of the path, not yet checked for its shape. */
export function checkRequestLine(method: string | undefined, path: string): Checked<string> {
  if (method !== 'POST') return fail('MethodNotAllowed');
  const match = /^\/3\/device(?:\/([^/?]*))?(?:\?.*)?$/.exec(path);
  if (match === null) return fail('BadPath');
  const token = match[1] ?? '';
  return token === '' ? fail('MissingDeviceToken') : ok(token);
}

/** `allowed` absent: token auth may push to any topic of the team. */
export function checkTopic(
  headers: IncomingHttpHeaders,
  allowed: readonly string[] | undefined,
): Checked<string> {
  const topic = single(headers['apns-topic']);
  if (topic === undefined || topic === '') return fail('MissingTopic');
  if (!TOPIC.test(topic)) return fail('BadTopic');
  if (allowed !== undefined && !allowed.includes(topic)) return fail('TopicDisallowed');
  return ok(topic);
}

export function checkDeviceToken(token: string): Checked<string> {
  return DEVICE_TOKEN.test(token) ? ok(token.toLowerCase()) : fail('BadDeviceToken');
}

/** What the notification headers say, once they are valid. */
export interface ApnsHeaders {
  /** Absent: APNs makes one up and returns it. */
  readonly apnsId: string | undefined;
  readonly pushType: string;
}

/**
 * apns-id, apns-push-type, apns-priority, apns-expiration and apns-collapse-id. A background push
 * must go at priority 5 (Apple: "you must set apns-priority to 5"); the simulator refuses 10 with
 * BadPriority, Apple's reason for a priority it will not take.
 */
export function checkNotificationHeaders(headers: IncomingHttpHeaders): Checked<ApnsHeaders> {
  const apnsId = single(headers['apns-id']);
  if (apnsId !== undefined && !UUID.test(apnsId)) return fail('BadMessageId');
  const pushType = single(headers['apns-push-type']) ?? 'alert';
  if (!PUSH_TYPES.has(pushType)) return fail('InvalidPushType');
  const priority = single(headers['apns-priority']);
  if (priority !== undefined && !PRIORITIES.has(priority)) return fail('BadPriority');
  if (pushType === 'background' && priority === '10') return fail('BadPriority');
  const expiration = single(headers['apns-expiration']);
  if (expiration !== undefined && !/^\d{1,12}$/.test(expiration)) return fail('BadExpirationDate');
  const collapseId = single(headers['apns-collapse-id']);
  if (collapseId !== undefined && Buffer.byteLength(collapseId) > APNS_COLLAPSE_ID_MAX_BYTES)
    return fail('BadCollapseId');
  return ok({ apnsId: apnsId?.toLowerCase(), pushType });
}

/**
 * The JSON payload: at most 4096 bytes (5120 for VoIP), and a JSON object with an `aps`
 * dictionary. Apple documents no reason for a payload that is not JSON at all; the simulator
 * answers PayloadEmpty, as there is no notification in it.
 */
export function checkPayload(body: Buffer, pushType: string): Checked<void> {
  if (body.length === 0) return fail('PayloadEmpty');
  const limit = pushType === 'voip' ? APNS_VOIP_PAYLOAD_LIMIT_BYTES : APNS_PAYLOAD_LIMIT_BYTES;
  if (body.length > limit) return fail('PayloadTooLarge');
  let payload: unknown;
  try {
    payload = JSON.parse(body.toString('utf8'));
  } catch {
    return fail('PayloadEmpty');
  }
  const aps = isRecord(payload) ? payload.aps : undefined;
  return isRecord(aps) ? ok(undefined) : fail('PayloadEmpty');
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function ok<T>(value: T): Checked<T> {
  return { ok: true, value };
}

function fail(reason: ApnsReason): { readonly ok: false; readonly reason: ApnsReason } {
  return { ok: false, reason };
}
