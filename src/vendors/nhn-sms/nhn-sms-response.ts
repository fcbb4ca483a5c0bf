import { HeraldError } from '../../core/domain/errors.ts';
import type { SendReceipt } from '../../ports/vendor.ts';
import type { JsonResponse } from '../http1/json-http-client.ts';
import { parseRetryAfterMs } from '../retry-after.ts';
import { NHN_SUCCESS, nhnError } from './nhn-sms-codes.ts';

/** When NHN throttles without a Retry-After, wait a second (its limits are per second). */
const DEFAULT_RETRY_AFTER_MS = 1_000;

/**
 * Every NHN Cloud SMS v3.0 answer has this header (SMSDOC `api-guide.md`, v3.0 "응답"):
 *
 *   {"header":{"isSuccessful":true,"resultCode":0,"resultMessage":"SUCCESS"},
 *    "body":{"data":{"requestId":"20180810100630ReZQ6KZzAH0","statusCode":"2",
 *      "sendResultList":[{"recipientNo":"01000000000","resultCode":0,"resultMessage":"SUCCESS",
 *                         "recipientSeq":1,"recipientGroupingKey":"..."}]}}}
 */
interface NhnHeader {
  readonly isSuccessful: boolean;
  readonly resultCode: number;
  readonly resultMessage: string;
}

interface NhnSendResult {
  readonly resultCode: number;
  readonly resultMessage: string;
  readonly recipientSeq: number;
  readonly recipientGroupingKey?: string;
}

/**
 * The vendorMessageId of an NHN send: `${requestId}:${recipientSeq}`, the two keys of NHN's
 * single result look-up (`GET /sms/v3.0/appKeys/{appKey}/sender/sms/{requestId}?mtPr=<seq>`).
 */
export function nhnVendorMessageId(requestId: string, recipientSeq: number): string {
  return `${requestId}:${recipientSeq}`;
}

/** Maps the answer to a one-recipient send (mapNhnSendResults of one). */
export function mapNhnSendAnswer(
  vendorId: string,
  response: JsonResponse,
  nowMs: number = Date.now(),
): SendReceipt | HeraldError {
  const results = mapNhnSendResults(vendorId, response, [undefined], nowMs);
  return results instanceof HeraldError ? results : results[0]!;
}

/**
 * Maps the answer to a send call: HTTP trouble first (429 -> throttled, 5xx -> outage, 401/403
 * without NHN's header -> refused credentials), then the header's resultCode (the whole call
 * refused): those are the call's HeraldError. Otherwise one result per recipient of the call, in
 * the order of `groupingKeys` (each recipient's recipientGroupingKey, herald's message id): its
 * receipt or its own resultCode's error. A recipient NHN's answer leaves out is NHN's fault.
 */
export function mapNhnSendResults(
  vendorId: string,
  response: JsonResponse,
  groupingKeys: readonly (string | undefined)[],
  nowMs: number = Date.now(),
): (SendReceipt | HeraldError)[] | HeraldError {
  const failed = httpFailure(vendorId, response, nowMs);
  if (failed !== undefined) return failed;
  const body = response.body as { body?: { data?: Record<string, unknown> } };
  const data = body.body?.data;
  const requestId = data?.requestId;
  const list = Array.isArray(data?.sendResultList)
    ? (data.sendResultList as unknown[]).filter(isSendResult)
    : [];
  if (typeof requestId !== 'string' || list.length === 0) return malformed(vendorId);
  const byKey = new Map(list.map((result) => [result.recipientGroupingKey, result]));
  return groupingKeys.map((key, index) => {
    // NHN echoes the grouping key; without one, its list is in the order the recipients were sent.
    const result = (key === undefined ? undefined : byKey.get(key)) ?? list[index];
    if (result === undefined) return malformed(vendorId);
    if (result.resultCode !== NHN_SUCCESS) return nhnError(vendorId, result.resultCode, result.resultMessage);
    return { vendorMessageId: nhnVendorMessageId(requestId, result.recipientSeq) };
  });
}

/** The `body.data` of a successful answer (attach upload), or the HeraldError of a failed one. */
export function nhnDataOf(
  vendorId: string,
  response: JsonResponse,
  nowMs: number = Date.now(),
): Record<string, unknown> | HeraldError {
  const failed = httpFailure(vendorId, response, nowMs);
  if (failed !== undefined) return failed;
  const data = (response.body as { body?: { data?: unknown } }).body?.data;
  return typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : malformed(vendorId);
}

function httpFailure(vendorId: string, response: JsonResponse, nowMs: number): HeraldError | undefined {
  const { status } = response;
  const header = headerOf(response.body);
  if (status === 429) {
    return new HeraldError('HERALD_VENDOR_RATE_LIMITED', `NHN SMS (${vendorId}) asked to slow down`, {
      retryable: true,
      retryAfterMs: parseRetryAfterMs(response.headers['retry-after'], nowMs) ?? DEFAULT_RETRY_AFTER_MS,
      vendorCode: header ? String(header.resultCode) : 'HTTP_429',
    });
  }
  if (status >= 500) {
    return new HeraldError('HERALD_VENDOR_UNAVAILABLE', `NHN SMS (${vendorId}) failed with HTTP ${status}`, {
      retryable: true,
      retryAfterMs: parseRetryAfterMs(response.headers['retry-after'], nowMs),
      vendorCode: header ? String(header.resultCode) : `HTTP_${status}`,
      vendorFault: true,
    });
  }
  if (header !== undefined && !header.isSuccessful) {
    return nhnError(vendorId, header.resultCode, header.resultMessage);
  }
  if (status === 401 || status === 403) {
    return new HeraldError('HERALD_VENDOR_AUTH', `NHN SMS (${vendorId}) refused its credentials`, {
      vendorCode: `HTTP_${status}`,
      vendorFault: true,
    });
  }
  if (header === undefined || status >= 300) return malformed(vendorId, status);
  return undefined;
}

function headerOf(body: unknown): NhnHeader | undefined {
  const header = (body as { header?: Partial<NhnHeader> } | undefined)?.header;
  if (typeof header?.isSuccessful !== 'boolean' || typeof header.resultCode !== 'number') return undefined;
  return {
    isSuccessful: header.isSuccessful,
    resultCode: header.resultCode,
    resultMessage: typeof header.resultMessage === 'string' ? header.resultMessage : '',
  };
}

function isSendResult(value: unknown): value is NhnSendResult {
  const result = value as Partial<NhnSendResult> | undefined;
  return typeof result?.resultCode === 'number' && typeof result.recipientSeq === 'number';
}

/** An answer NHN never gives: treated as its outage (retry elsewhere), not the message's fault. */
function malformed(vendorId: string, status = 200): HeraldError {
  return new HeraldError(
    'HERALD_VENDOR_UNAVAILABLE',
    `NHN SMS (${vendorId}) answered HTTP ${status} without its result`,
    { retryable: true, vendorCode: 'MALFORMED_RESPONSE', vendorFault: true },
  );
}
