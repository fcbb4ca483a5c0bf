import type { IncomingHttpHeaders } from 'node:http2';
import { HeraldError } from '../../core/domain/errors.ts';
import type { SendReceipt } from '../../ports/vendor.ts';
import { parseRetryAfterMs } from '../retry-after.ts';

const FCM_ERROR_TYPE = 'type.googleapis.com/google.firebase.fcm.v1.FcmError';
const BAD_REQUEST_TYPE = 'type.googleapis.com/google.rpc.BadRequest';
/** FCM asks for at least a minute's wait on QUOTA_EXCEEDED when it gives no Retry-After. */
const QUOTA_DEFAULT_RETRY_MS = 60_000;

export interface FcmReply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** The access token was refused (401 without an FcmError): refresh it and try once more. */
export const UNAUTHENTICATED = Symbol('UNAUTHENTICATED');

interface RpcError {
  /** FcmError.errorCode, else the google.rpc status, else HTTP_<status> (firebase-admin's order). */
  readonly code: string;
  readonly fcmCode: string | undefined;
  readonly message: string;
  /** The first google.rpc.BadRequest field violation, e.g. `message.android.ttl`. */
  readonly field: string | undefined;
}

/**
 * Maps an FCM HTTP v1 answer to a receipt or a HeraldError (returned, not thrown), by FCM's codes
 * (https://firebase.google.com/docs/reference/fcm/rest/v1/ErrorCode), never by message text:
 * UNREGISTERED -> token dead; INVALID_ARGUMENT -> rejected with the field (recipient invalid when
 * the field is the token); QUOTA_EXCEEDED/429 and UNAVAILABLE/503 -> retryable after Retry-After;
 * INTERNAL and other 5xx -> retryable, the vendor's fault; 401 -> UNAUTHENTICATED (refresh);
 * 403/404 without an FcmError -> the vendor's setup is wrong (project, scopes, URL): it is unusable.
 */
export function mapFcmReply(
  vendorId: string,
  reply: FcmReply,
  nowMs: number = Date.now(),
): SendReceipt | HeraldError | typeof UNAUTHENTICATED {
  const { status } = reply;
  if (status === 200) return receiptOf(vendorId, reply.body);
  const error = rpcErrorOf(reply);
  if (status === 401 && error.fcmCode === undefined) return UNAUTHENTICATED;
  const retryAfterMs = parseRetryAfterMs(reply.headers['retry-after'], nowMs);
  const vendorCode = error.code;
  if (error.fcmCode === 'UNREGISTERED') {
    return new HeraldError(
      'HERALD_TOKEN_INVALID',
      `FCM (${vendorId}) says the device token is no longer registered`,
      { vendorCode },
    );
  }
  if (status === 429 || error.fcmCode === 'QUOTA_EXCEEDED') {
    return new HeraldError('HERALD_VENDOR_RATE_LIMITED', `FCM (${vendorId}) quota exceeded`, {
      retryable: true,
      retryAfterMs: retryAfterMs ?? QUOTA_DEFAULT_RETRY_MS,
      vendorCode,
    });
  }
  if (status >= 500 || status === 408) {
    return new HeraldError(
      'HERALD_VENDOR_UNAVAILABLE',
      `FCM (${vendorId}) failed with HTTP ${status} ${vendorCode}`,
      {
        retryable: true,
        retryAfterMs,
        vendorCode,
        vendorFault: true,
      },
    );
  }
  // Google's front end, not FCM, answered (no FcmError): wrong project or scopes, a wrong base URL.
  // Every message would fail alike, so the vendor is unusable rather than the message bad.
  if ((status === 403 || status === 404) && error.fcmCode === undefined) {
    return new HeraldError(
      'HERALD_VENDOR_UNAVAILABLE',
      `FCM (${vendorId}) refused the call: ${error.message}`,
      {
        retryable: true,
        vendorCode,
        vendorFault: true,
      },
    );
  }
  if (error.field === 'message.token') {
    return new HeraldError('HERALD_RECIPIENT_INVALID', `FCM (${vendorId}) says the token is malformed`, {
      vendorCode,
      field: error.field,
    });
  }
  return new HeraldError(
    'HERALD_VENDOR_REJECTED',
    `FCM (${vendorId}) rejected the message: ${error.message}`,
    {
      vendorCode,
      field: error.field,
    },
  );
}

function receiptOf(vendorId: string, body: Buffer): SendReceipt | HeraldError {
  const name = (parseJson(body) as { name?: unknown } | undefined)?.name;
  if (typeof name === 'string' && name !== '') return { vendorMessageId: name };
  return new HeraldError(
    'HERALD_VENDOR_UNAVAILABLE',
    `FCM (${vendorId}) answered 200 without a message name`,
    {
      retryable: true,
      vendorCode: 'MALFORMED_RESPONSE',
      vendorFault: true,
    },
  );
}

/** Reads a google.rpc Status body; a non-JSON body is classified by its HTTP status alone. */
function rpcErrorOf(reply: FcmReply): RpcError {
  const error = (parseJson(reply.body) as { error?: Record<string, unknown> } | undefined)?.error;
  const details = Array.isArray(error?.details) ? (error.details as Record<string, unknown>[]) : [];
  const fcmDetail = details.find((detail) => detail?.['@type'] === FCM_ERROR_TYPE);
  const fcmCode = typeof fcmDetail?.errorCode === 'string' ? fcmDetail.errorCode : undefined;
  const badRequest = details.find((detail) => detail?.['@type'] === BAD_REQUEST_TYPE);
  const violations = Array.isArray(badRequest?.fieldViolations)
    ? (badRequest.fieldViolations as { field?: unknown }[])
    : [];
  const field = typeof violations[0]?.field === 'string' ? violations[0].field : undefined;
  const status = typeof error?.status === 'string' ? error.status : undefined;
  const message = typeof error?.message === 'string' ? error.message : `HTTP ${reply.status}`;
  return { code: fcmCode ?? status ?? `HTTP_${reply.status}`, fcmCode, message, field };
}

function parseJson(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}
