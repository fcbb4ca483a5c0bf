import { HeraldError } from '../../core/domain/errors.ts';
import type { DeliveryCheck } from '../../ports/vendor.ts';
import type { JsonResponse } from '../http1/json-http-client.ts';
import { NHN_SMS_API } from './nhn-sms-request.ts';
import { nhnDataOf } from './nhn-sms-response.ts';
import { nhnCarrierOf } from './nhn-telecom.ts';

/**
 * NHN's single result look-up (SMSDOC `api-guide.md` v3.0 "단문 SMS 발송 단일 검색", and the MMS
 * one under /sender/mms):
 *
 *   GET /sms/v3.0/appKeys/{appKey}/sender/{sms|mms}/{requestId}?recipientSeq=1
 *   -> body.data: {msgStatus, msgStatusName, resultCode ("1000" delivered), resultCodeName, resultDate}
 *
 * The look-up is per product, so a receipt names it: `${requestId}:${recipientSeq}` for an SMS,
 * `${requestId}:${recipientSeq}:mms` for an LMS/MMS.
 */
export function nhnLookUpPath(appKey: string, vendorMessageId: string): string | undefined {
  const match = /^([^:]+):(\d+)(:mms)?$/.exec(vendorMessageId);
  if (match === null) return undefined;
  const product = match[3] === undefined ? 'sms' : 'mms';
  return `${NHN_SMS_API}/${encodeURIComponent(appKey)}/sender/${product}/${encodeURIComponent(match[1]!)}?recipientSeq=${match[2]}`;
}

/** msgStatus 1 requested, 2 processing, 7 waiting to resend (ad restriction): not final yet. */
const PENDING_STATUSES: ReadonlySet<string> = new Set(['1', '2', '7']);
const DELIVERED_STATUS = '3';

/**
 * The look-up answer as herald's DeliveryCheck. msgStatus 3 is delivered; 0 (failed), 4
 * (reservation cancelled), 5 (duplicate) and 6 (failed, ad restriction) are final failures with
 * the carrier's resultCode (1001..3019, E9xx; SMSDOC `error-code.md` "수신 결과 코드"). An SMS has
 * no further fallback, so `fallback` is false.
 */
export function mapNhnDelivery(
  vendorId: string,
  response: JsonResponse,
  nowMs: number = Date.now(),
): DeliveryCheck | HeraldError {
  const data = nhnDataOf(vendorId, response, nowMs);
  if (data instanceof HeraldError) return data;
  return nhnDeliveryOfRow(data, nowMs);
}

/**
 * One message's row, of the single look-up or of the list, as a DeliveryCheck with the network it
 * reached (telecomCode, nhn-telecom.ts).
 */
export function nhnDeliveryOfRow(data: Record<string, unknown>, nowMs: number): DeliveryCheck {
  const status = typeof data.msgStatus === 'string' ? data.msgStatus : undefined;
  if (status === undefined || PENDING_STATUSES.has(status)) return { state: 'pending' };
  const at = kstTime(data.resultDate) ?? nowMs;
  const code =
    typeof data.resultCode === 'string' && data.resultCode !== '' ? data.resultCode : `MSG_STATUS_${status}`;
  const carrier = nhnCarrierOf(data.telecomCode, data.telecomCodeName);
  if (status === DELIVERED_STATUS) return { state: 'delivered', at, code, carrier };
  const name = [data.resultCodeName, data.msgStatusName].find(
    (text) => typeof text === 'string' && text !== '',
  );
  return { state: 'undelivered', at, code, message: String(name ?? code), fallback: false, carrier };
}

/** NHN's `2018-08-10 10:06:42.0` (KST) as epoch ms. */
function kstTime(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(\.\d+)?$/.exec(value);
  if (match === null) return undefined;
  const at = Date.parse(`${match[1]}T${match[2]}${(match[3] ?? '').slice(0, 4)}+09:00`);
  return Number.isNaN(at) ? undefined : at;
}
