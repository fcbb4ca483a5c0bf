import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http2';
import type { AnsweredOutcome, SimulatedSend } from '../simulated-vendor.ts';
import type { SimulatedError } from '../vendor-error-catalogue.ts';
import type { HttpAnswer } from '../wire-contract.ts';
import { type ApnsReason, apnsErrorAnswer, isApnsReason } from './apns-reasons.ts';
import {
  checkDeviceToken,
  checkDuplicateHeaders,
  checkNotificationHeaders,
  checkPayload,
  checkRequestLine,
  checkTopic,
} from './apns-request-checks.ts';
import type { ConnectionTokenState } from './connection-token-state.ts';
import { type ApnsTrust, ProviderTokenVerifier } from './provider-token-verifier.ts';

/** One request on the APNs route, as the HTTP/2 server hands it over. */
export interface ApnsSendRequest {
  readonly vendorId: string;
  readonly method: string | undefined;
  /** The path after the vendor prefix: `/3/device/<token>`. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** Every header name as received, repeats included (for DuplicateHeaders); defaults to none. */
  readonly rawHeaderNames?: readonly string[];
  readonly body: Buffer;
  /** The state of the HTTP/2 session the request came on. */
  readonly connection: ConnectionTokenState;
}

export type ApnsParsedSend =
  | { readonly ok: true; readonly send: SimulatedSend; readonly apnsId: string }
  | { readonly ok: false; readonly answer: HttpAnswer };

export interface ApnsWireContractOptions {
  /** Vendor id -> the key it trusts. A vendor without one accepts no provider token. */
  readonly trust: Readonly<Record<string, ApnsTrust>>;
  /** Epoch ms since a token was marked dead for the vendor (control route), or undefined. */
  readonly deadSince?: (vendorId: string, deviceToken: string) => number | undefined;
  /** Epoch ms: token age, token update interval. Injectable so tests can move time. */
  readonly now?: () => number;
}

/**
 * The APNs provider API (HTTP/2) as the simulator speaks it:
 *
 *   POST /3/device/<hex token>      authorization: bearer <ES256 JWT>
 *   apns-topic, apns-push-type, apns-priority, apns-expiration, apns-id, apns-collapse-id
 *   { "aps": { ... }, ...custom }                              (<= 4096 bytes)
 *
 *   200 apns-id: <id>, empty body        4xx/5xx { "reason": "<Reason>" } (410 + "timestamp")
 *
 * Checks come in the order a front end meets them: request line, headers, provider token, then
 * the notification. Deliveries are counted by `apns-id` (herald puts its message id there); APNs
 * has no idempotency key.
 */
export class ApnsWireContract {
  readonly #trust: Readonly<Record<string, ApnsTrust>>;
  readonly #verifiers = new Map<string, ProviderTokenVerifier>();
  readonly #deadSince: (vendorId: string, deviceToken: string) => number | undefined;
  readonly #now: () => number;

  constructor(options: ApnsWireContractOptions) {
    this.#trust = options.trust;
    this.#now = options.now ?? Date.now;
    this.#deadSince = options.deadSince ?? (() => undefined);
    for (const [vendorId, trust] of Object.entries(options.trust)) {
      this.#verifiers.set(vendorId, new ProviderTokenVerifier(trust, this.#now));
    }
  }

  async parseSend(request: ApnsSendRequest): Promise<ApnsParsedSend> {
    const line = checkRequestLine(request.method, request.path);
    if (!line.ok) return refuse(line.reason);
    const duplicates = checkDuplicateHeaders(request.rawHeaderNames ?? []);
    if (!duplicates.ok) return refuse(duplicates.reason);
    const authFailure = await this.#authenticate(request);
    if (authFailure !== undefined) return refuse(authFailure);
    const topic = checkTopic(request.headers, this.#trust[request.vendorId]?.topics);
    if (!topic.ok) return refuse(topic.reason);
    const token = checkDeviceToken(line.value);
    if (!token.ok) return refuse(token.reason);
    const headers = checkNotificationHeaders(request.headers);
    if (!headers.ok) return refuse(headers.reason);
    const apnsId = headers.value.apnsId ?? randomUUID();
    const payload = checkPayload(request.body, headers.value.pushType);
    if (!payload.ok) return refuse(payload.reason, apnsId);
    const deadSinceMs = this.#deadSince(request.vendorId, token.value);
    if (deadSinceMs !== undefined) {
      return { ok: false, answer: withApnsId(apnsErrorAnswer('Unregistered', { deadSinceMs }), apnsId) };
    }
    return { ok: true, send: { messageId: apnsId, idempotencyKey: undefined }, apnsId };
  }

  /** How APNs answers what the vendor's behaviour decided. */
  renderOutcome(outcome: AnsweredOutcome, apnsId: string): HttpAnswer {
    switch (outcome.kind) {
      case 'accepted':
        return { status: 200, headers: { 'apns-id': apnsId } };
      case 'failed':
        return withApnsId(
          apnsErrorAnswer(apnsReasonFor(outcome.error), { deadSinceMs: this.#now() }),
          apnsId,
        );
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

  async #authenticate(request: ApnsSendRequest): Promise<ApnsReason | undefined> {
    const verifier = this.#verifiers.get(request.vendorId);
    if (verifier === undefined) return 'InvalidProviderToken';
    const verdict = await verifier.verify(request.headers.authorization);
    if (!verdict.ok) return verdict.reason;
    const accepted = request.connection.accept(request.vendorId, verdict.token, this.#now());
    return accepted ? undefined : 'TooManyProviderTokenUpdates';
  }
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

function refuse(reason: ApnsReason, apnsId?: string): ApnsParsedSend {
  const answer = apnsErrorAnswer(reason);
  return { ok: false, answer: apnsId === undefined ? answer : withApnsId(answer, apnsId) };
}

function withApnsId(answer: HttpAnswer, apnsId: string): HttpAnswer {
  return { ...answer, headers: { ...answer.headers, 'apns-id': apnsId } };
}
