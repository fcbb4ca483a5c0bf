import { randomUUID } from 'node:crypto';
import type { H2ContractContext, H2Parsed, H2SendRequest, H2WireContract } from '../h2-wire-contract.ts';
import type { AnsweredOutcome } from '../simulated-vendor.ts';
import type { SimulatedError } from '../vendor-error-catalogue.ts';
import type { HttpAnswer } from '../wire-contract.ts';
import { type ApnsReason, apnsErrorAnswer, isApnsReason } from './apns-reasons.ts';
import {
  checkDeviceToken,
  checkNotificationHeaders,
  checkPayload,
  checkRequestLine,
  checkTopic,
} from './apns-request-checks.ts';
import { ConnectionTokenState } from './connection-token-state.ts';

/** Where the APNs contract keeps its state on an HTTP/2 connection's scratch map. */
const CONNECTION_KEY = 'apns:provider-token';

/**
 * The APNs provider API on the simulator's HTTP/2 port:
 *
 *   POST /<vendorId>/3/device/<hex token>      authorization: bearer <ES256 JWT>
 *   apns-topic, apns-push-type, apns-priority, apns-expiration, apns-id, apns-collapse-id
 *   { "aps": { ... }, ...custom }                              (<= 4096 bytes)
 *
 *   200 apns-id: <id>, empty body        4xx/5xx { "reason": "<Reason>" } (410 + "timestamp")
 *
 * Checks come in the order a front end meets them: request line, provider token (and how often
 * this connection changes it), topic, device token, notification headers, payload, then whether
 * the token was declared dead. Deliveries are counted by `apns-id` (herald puts its message id
 * there); APNs has no idempotency key. Not checked: DuplicateHeaders (node:http2 joins repeated
 * headers before a handler sees them; a repeated apns-id then fails as BadMessageId).
 */
export const APNS_WIRE_CONTRACT: H2WireContract = {
  async parse(request, context): Promise<H2Parsed> {
    const line = checkRequestLine(request.method, request.path);
    if (!line.ok) return refuse(line.reason);
    const authFailure = await authenticate(request, context);
    if (authFailure !== undefined) return refuse(authFailure);
    const topic = checkTopic(request.headers, context.push.apnsTrust(request.vendorId)?.topics);
    if (!topic.ok) return refuse(topic.reason);
    const token = checkDeviceToken(line.value);
    if (!token.ok) return refuse(token.reason);
    const headers = checkNotificationHeaders(request.headers);
    if (!headers.ok) return refuse(headers.reason);
    const apnsId = headers.value.apnsId ?? randomUUID();
    const payload = checkPayload(request.body, headers.value.pushType);
    if (!payload.ok) return refuse(payload.reason, apnsId);
    const deadSinceMs = context.push.deadTokens.deadSince(request.vendorId, line.value);
    if (deadSinceMs !== undefined) {
      return answer(withApnsId(apnsErrorAnswer('Unregistered', { deadSinceMs }), apnsId));
    }
    return {
      kind: 'send',
      send: { messageId: apnsId, idempotencyKey: undefined },
      render: (outcome) => renderApnsOutcome(outcome, apnsId, context.push.now()),
    };
  },
};

/** How APNs answers what the vendor's behaviour decided. `nowMs`: the 410 timestamp. */
export function renderApnsOutcome(outcome: AnsweredOutcome, apnsId: string, nowMs: number): HttpAnswer {
  switch (outcome.kind) {
    case 'accepted':
      return { status: 200, headers: { 'apns-id': apnsId } };
    case 'failed':
      return withApnsId(apnsErrorAnswer(apnsReasonFor(outcome.error), { deadSinceMs: nowMs }), apnsId);
    case 'rate-limited': {
      // APNs sends no Retry-After; the simulator adds one so a client can be tested honouring it.
      const retryAfter = String(Math.max(1, Math.ceil(outcome.retryAfterMs / 1_000)));
      return withApnsId(
        apnsErrorAnswer('TooManyRequests', { headers: { 'retry-after': retryAfter } }),
        apnsId,
      );
    }
  }
}

/** A vendor without APNs trust accepts no provider token (as Apple knows no such key). */
async function authenticate(
  request: H2SendRequest,
  context: H2ContractContext,
): Promise<ApnsReason | undefined> {
  const { vendorId } = request;
  const trust = context.push.apnsTrust(vendorId);
  const publicKey = context.push.publicKey('apns', vendorId);
  if (trust === undefined || publicKey === undefined) {
    return request.headers.authorization === undefined ? 'MissingProviderToken' : 'InvalidProviderToken';
  }
  const verifier = context.push.apns.verifierFor(vendorId, trust, publicKey);
  const verdict = await verifier.verify(request.headers.authorization, context.nowMs);
  if (!verdict.ok) return verdict.reason;
  let connection = context.connection.get(CONNECTION_KEY) as ConnectionTokenState | undefined;
  if (connection === undefined) {
    connection = new ConnectionTokenState();
    context.connection.set(CONNECTION_KEY, connection);
  }
  if (!connection.accept(vendorId, verdict.token, context.nowMs)) return 'TooManyProviderTokenUpdates';
  context.push.apns.recordAccepted(vendorId, verdict.token);
  return undefined;
}

/** The behaviour catalogue's push errors (FCM-flavoured codes) as the APNs reason they stand for. */
const REASON_BY_CODE: Readonly<Record<string, ApnsReason>> = {
  UNAVAILABLE: 'ServiceUnavailable',
  SERVICE_UNAVAILABLE: 'ServiceUnavailable',
  INTERNAL: 'InternalServerError',
  SERVER_ERROR: 'InternalServerError',
  UNREGISTERED: 'Unregistered',
  INVALID_ARGUMENT: 'BadDeviceToken',
  INVALID_RECIPIENT: 'BadDeviceToken',
};

/** A catalogue error: its code if it is an APNs reason, else the reason it stands for, else by status. */
export function apnsReasonFor(error: SimulatedError): ApnsReason {
  if (isApnsReason(error.code)) return error.code;
  const byCode = REASON_BY_CODE[error.code];
  if (byCode !== undefined) return byCode;
  if (error.status === 503 || error.status === 502 || error.status === 504) return 'ServiceUnavailable';
  if (error.status >= 500) return 'InternalServerError';
  if (error.status === 404 || error.status === 410) return 'Unregistered';
  if (error.status === 413) return 'PayloadTooLarge';
  if (error.status === 403) return 'Forbidden';
  return 'BadDeviceToken';
}

function refuse(reason: ApnsReason, apnsId?: string): H2Parsed {
  const error = apnsErrorAnswer(reason);
  return answer(apnsId === undefined ? error : withApnsId(error, apnsId));
}

function answer(value: HttpAnswer): H2Parsed {
  return { kind: 'answer', answer: value };
}

function withApnsId(value: HttpAnswer, apnsId: string): HttpAnswer {
  return { ...value, headers: { ...value.headers, 'apns-id': apnsId } };
}
