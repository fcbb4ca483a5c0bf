import { type ErrorCode, HeraldError } from '../../core/domain/errors.ts';
import type { SendReceipt } from '../../ports/vendor.ts';
import type { JsonResponse } from '../http1/json-http-client.ts';
import { parseRetryAfterMs } from '../retry-after.ts';

/**
 * NHN AlimTalk answers every call in one envelope (ATDOC `en/alimtalk-api-guide.md`, Response):
 *
 *   {"header": {"resultCode": 0, "resultMessage": "SUCCESS", "isSuccessful": true},
 *    "message": {"requestId": "...", "sendResults": [{"recipientSeq": 1, "recipientNo": "...",
 *                "resultCode": 0, "resultMessage": "...", "recipientGroupingKey": "..."}]}}
 *
 * Codes from ATDOC `en/error-code.md` (API Response Code). HTTP 429 is NHN's API gateway limit (300
 * RPS on the new domain, per NHN's domain-change notice); 5xx is its front end failing.
 */
export interface NhnHeader {
  readonly resultCode: number;
  readonly resultMessage: string;
  readonly isSuccessful: boolean;
}

/** herald's account is refused: wrong appkey or secret key, appkey unknown or disabled. */
const AUTH_CODES: ReadonlySet<number> = new Set([-1000, -1001, -4004, -4005]);
/**
 * NHN's own trouble: system error, Kakao's API (the "vendor request API") failed; and -9998 (no
 * such API: a wrong base URL), which fails every message alike, so the vendor is unusable rather
 * than the message bad (as FCM's 404 without an FcmError), and its breaker takes it out.
 */
const OUTAGE_CODES: ReadonlySet<number> = new Set([-9999, -7000, -9998]);
/** The sender profile (Kakao channel) is unknown, keyless, inactive or blocked at NHN. */
const CHANNEL_CODES: ReadonlySet<number> = new Set([-2017, -1006, -1014, -1027]);
/** The recipient number is not one Kakao can take. */
const RECIPIENT_CODES: ReadonlySet<number> = new Set([-4019, -5000]);
/** Default wait on a 429 without Retry-After: the limit is per second. */
const RATE_LIMIT_DEFAULT_MS = 1_000;

/** The envelope's header, if the body has one. */
export function headerOf(body: unknown): NhnHeader | undefined {
  const header = (body as { header?: unknown } | undefined)?.header as Partial<NhnHeader> | undefined;
  if (typeof header?.resultCode !== 'number') return undefined;
  return {
    resultCode: header.resultCode,
    resultMessage: typeof header.resultMessage === 'string' ? header.resultMessage : '',
    isSuccessful: header.isSuccessful === true && header.resultCode === 0,
  };
}

/**
 * The failure of a whole call, by HTTP status and the header, or undefined when the header says
 * success. Used for sends, look-ups and the template API alike.
 */
export function callFailure(vendorId: string, response: JsonResponse, what: string): HeraldError | undefined {
  const { status } = response;
  if (status === 429) {
    return new HeraldError('HERALD_VENDOR_RATE_LIMITED', `NHN AlimTalk (${vendorId}) throttled the ${what}`, {
      retryable: true,
      retryAfterMs: parseRetryAfterMs(response.headers['retry-after']) ?? RATE_LIMIT_DEFAULT_MS,
      vendorCode: '429',
    });
  }
  const header = headerOf(response.body);
  if (status >= 500 || (header === undefined && status !== 401 && status !== 403)) {
    const code = header === undefined ? `HTTP_${status}` : String(header.resultCode);
    return new HeraldError(
      'HERALD_VENDOR_UNAVAILABLE',
      `NHN AlimTalk (${vendorId}) failed the ${what} with HTTP ${status} ${code}`,
      { retryable: true, vendorFault: true, vendorCode: code },
    );
  }
  if (header === undefined) return authError(vendorId, `HTTP_${status}`, `HTTP ${status}`);
  if (header.isSuccessful) return undefined;
  return codeFailure(vendorId, header.resultCode, header.resultMessage);
}

/** What one NHN result code means for herald (a call's header or one recipient's sendResults entry). */
export function codeFailure(vendorId: string, resultCode: number, resultMessage: string): HeraldError {
  const vendorCode = String(resultCode);
  const message = `NHN AlimTalk (${vendorId}) refused it: ${resultCode} ${resultMessage}`.trim();
  if (AUTH_CODES.has(resultCode)) return authError(vendorId, vendorCode, resultMessage);
  if (OUTAGE_CODES.has(resultCode)) {
    return new HeraldError('HERALD_VENDOR_UNAVAILABLE', message, {
      retryable: true,
      vendorFault: true,
      vendorCode,
    });
  }
  return new HeraldError(permanentCodeOf(resultCode), message, { vendorCode });
}

function permanentCodeOf(resultCode: number): ErrorCode {
  if (RECIPIENT_CODES.has(resultCode)) return 'HERALD_RECIPIENT_INVALID';
  if (CHANNEL_CODES.has(resultCode)) return 'HERALD_KAKAO_CHANNEL_NOT_REGISTERED';
  // -3005: the template is not approved (yet) at NHN; -3003: NHN has no such template.
  if (resultCode === -3005) return 'HERALD_TEMPLATE_NOT_APPROVED';
  if (resultCode === -3003) return 'HERALD_TEMPLATE_NOT_FOUND';
  // -1005 (the idempotency key was used within 10 minutes) lands here too: NHN took the first
  // call, so trying again can only be refused again; herald's dedup keeps it from happening.
  return 'HERALD_VENDOR_REJECTED';
}

function authError(vendorId: string, vendorCode: string, detail: string): HeraldError {
  return new HeraldError(
    'HERALD_VENDOR_AUTH',
    `NHN AlimTalk (${vendorId}) refused herald's appkey or secret key (${vendorCode} ${detail})`.trim(),
    { retryable: false, vendorFault: true, vendorCode },
  );
}

interface SendResult {
  readonly recipientSeq?: unknown;
  readonly resultCode?: unknown;
  readonly resultMessage?: unknown;
  readonly recipientGroupingKey?: unknown;
}

/**
 * A one-recipient send's answer -> the receipt or the HeraldError to throw (mapNhnSendResults of
 * one message).
 */
export function mapNhnSendResponse(vendorId: string, response: JsonResponse): SendReceipt | HeraldError {
  const results = mapNhnSendResults(vendorId, response, [undefined]);
  return results instanceof HeraldError ? results : results[0]!;
}

/**
 * A send's answer -> one result per recipient, in the order sent (`groupingKeys`, herald's message
 * ids): its receipt (`${requestId}:${recipientSeq}`, what the message look-up needs for that
 * recipient) or its own refusal; or the HeraldError of the whole call. Each recipient's own
 * sendResults entry decides when there is one (found by its recipientGroupingKey, else by its
 * place): NHN answers a call whose every recipient failed with header -1031 and the real reason
 * per recipient.
 */
export function mapNhnSendResults(
  vendorId: string,
  response: JsonResponse,
  groupingKeys: readonly (string | undefined)[],
): (SendReceipt | HeraldError)[] | HeraldError {
  const body = response.body as
    | { message?: { requestId?: unknown; sendResults?: readonly SendResult[] } }
    | undefined;
  const sendResults = Array.isArray(body?.message?.sendResults) ? body.message.sendResults : [];
  const answered =
    response.status < 300 &&
    headerOf(response.body) !== undefined &&
    sendResults.some((result) => typeof result.resultCode === 'number');
  if (!answered) {
    const failure = callFailure(vendorId, response, 'send');
    if (failure !== undefined) return failure;
  }
  const requestId = body?.message?.requestId;
  return groupingKeys.map((key, index) => {
    const result =
      (key === undefined ? undefined : sendResults.find((each) => each.recipientGroupingKey === key)) ??
      sendResults[index];
    if (answered && typeof result?.resultCode === 'number' && result.resultCode !== 0) {
      return codeFailure(vendorId, result.resultCode, String(result.resultMessage ?? ''));
    }
    const seq = result?.recipientSeq;
    if (typeof requestId === 'string' && requestId !== '' && typeof seq === 'number') {
      return { vendorMessageId: `${requestId}:${seq}` };
    }
    return new HeraldError(
      'HERALD_VENDOR_UNAVAILABLE',
      `NHN AlimTalk (${vendorId}) answered success without a requestId and recipientSeq`,
      { retryable: true, vendorFault: true, vendorCode: 'MALFORMED_RESPONSE' },
    );
  });
}
