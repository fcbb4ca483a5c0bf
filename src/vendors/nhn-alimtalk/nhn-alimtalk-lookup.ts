import { HeraldError } from '../../core/domain/errors.ts';
import type { DeliveryCheck } from '../../ports/vendor.ts';
import type { JsonResponse } from '../http1/json-http-client.ts';
import { callFailure, headerOf } from './nhn-alimtalk-response.ts';

/**
 * NHN AlimTalk's single-message look-up (ATDOC `en/alimtalk-api-guide.md`, "Get Messages"):
 *
 *   GET /alimtalk/v2.3/appkeys/{appkey}/messages/{requestId}/{recipientSeq}
 *   -> {"header": {...}, "message": {"requestId", "recipientSeq", "messageStatus": COMPLETED |
 *       FAILED | CANCEL (else still on its way), "resultCode": Kakao's "1000" | "3019"...,
 *       "resultCodeName", "receiveDate": "yyyy-MM-dd HH:mm:ss" (KST), ...}}
 *
 * Kakao's delivery codes (ATDOC `en/error-code.md`, Delivery Result Code): 1000 success; 3018
 * cannot be sent (inactive user...), 3019 not a KakaoTalk user, 3020 blocked the channel's
 * AlimTalk: the recipient can still be reached by SMS/LMS, so herald's fallback takes over. Any
 * other code (3016 content does not match the template, 3008 phone number error...) would fail
 * the fallback's purpose or repeat the fault, so it is final.
 */
const FALLBACK_CODES: ReadonlySet<string> = new Set(['3018', '3019', '3020']);
const FINAL_STATUSES: ReadonlySet<string> = new Set(['COMPLETED', 'FAILED', 'CANCEL']);
/** -1016: no message with this requestId/recipientSeq (yet): NHN stores a send's rows shortly after it. */
const NOT_FOUND_YET = -1016;

/** Splits a receipt's vendorMessageId (`${requestId}:${recipientSeq}`) back into its parts. */
export function parseNhnMessageId(vendorMessageId: string): { requestId: string; recipientSeq: number } {
  const at = vendorMessageId.lastIndexOf(':');
  const requestId = vendorMessageId.slice(0, at);
  const recipientSeq = Number(vendorMessageId.slice(at + 1));
  if (at <= 0 || !Number.isSafeInteger(recipientSeq) || recipientSeq < 1) {
    throw new HeraldError(
      'HERALD_VENDOR_REJECTED',
      `"${vendorMessageId}" is not an NHN AlimTalk message id (requestId:recipientSeq)`,
      { vendorCode: 'BAD_MESSAGE_ID' },
    );
  }
  return { requestId, recipientSeq };
}

interface LookedUpMessage {
  readonly messageStatus?: unknown;
  readonly resultCode?: unknown;
  readonly resultCodeName?: unknown;
  readonly receiveDate?: unknown;
}

/** The look-up's answer -> a DeliveryCheck, or the HeraldError to throw (auth, outage, throttle). */
export function mapNhnLookup(
  vendorId: string,
  response: JsonResponse,
  now: number = Date.now(),
): DeliveryCheck | HeraldError {
  if (headerOf(response.body)?.resultCode === NOT_FOUND_YET && response.status < 300) {
    return { state: 'pending' };
  }
  const failure = callFailure(vendorId, response, 'message look-up');
  if (failure !== undefined) return failure;
  const message = (response.body as { message?: LookedUpMessage }).message;
  const status = typeof message?.messageStatus === 'string' ? message.messageStatus : '';
  const code = typeof message?.resultCode === 'string' ? message.resultCode : '';
  if (!FINAL_STATUSES.has(status) || (status !== 'CANCEL' && code === '')) return { state: 'pending' };
  const at = kstDate(message?.receiveDate) ?? now;
  if (status === 'COMPLETED' && code === '1000') return { state: 'delivered', at, code };
  const name = typeof message?.resultCodeName === 'string' ? message.resultCodeName : '';
  const finalCode = status === 'CANCEL' && code === '' ? 'CANCEL' : code;
  return {
    state: 'undelivered',
    at,
    code: finalCode,
    message: name || (status === 'CANCEL' ? 'The send was cancelled at NHN' : `Kakao result ${finalCode}`),
    fallback: FALLBACK_CODES.has(finalCode),
  };
}

/** NHN's "yyyy-MM-dd HH:mm:ss" (Korea time, no zone) -> epoch ms, or undefined. */
export function kstDate(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}(?::\d{2})?)/.exec(value);
  if (match === null) return undefined;
  const at = Date.parse(`${match[1]}T${match[2]}+09:00`);
  return Number.isNaN(at) ? undefined : at;
}
