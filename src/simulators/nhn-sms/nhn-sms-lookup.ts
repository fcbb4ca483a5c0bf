import type { TextSimulation } from '../text/text-simulation.ts';
import type { HttpAnswer } from '../wire-contract.ts';
import { nhnHeader, nhnRefusal, nhnSuccess, nhnThrottled } from './nhn-sms-answers.ts';
import { nhnRow } from './nhn-sms-rows.ts';

/**
 * NHN's single result look-up (SMSDOC `api-guide.md` v3.0 "단문 SMS 발송 단일 검색"; the MMS one
 * is alike under /sender/mms):
 *
 *   GET /sms/v3.0/appKeys/{appKey}/sender/{sms|mms}/{requestId}?recipientSeq=1
 *   -> {"header":{...},"body":{"data":{"requestId":"...","recipientSeq":1,"recipientNo":"010...",
 *        "msgStatus":"3","msgStatusName":"성공","resultCode":"1000","resultCodeName":"성공",
 *        "resultDate":"2018-08-10 10:06:42.0","telecomCode":10001,"telecomCodeName":"SKT",...}}}
 *
 * msgStatus: 0 failed, 1 requested, 2 processing, 3 delivered, 4 reservation cancelled, 5
 * duplicate, 6 failed (ad restriction), 7 waiting to resend (ad restriction). Until the recorded
 * result is ready the simulator answers 2 (processing); an unknown message is -2007 Not exist data.
 */
export function lookUpResult(
  vendorId: string,
  requestId: string,
  query: URLSearchParams,
  text: TextSimulation,
): HttpAnswer {
  const throttled = throttle(vendorId, text);
  if (throttled !== undefined) return throttled;
  const recipientSeq = Number(query.get('recipientSeq') ?? query.get('mtPr'));
  if (!Number.isInteger(recipientSeq) || recipientSeq < 1) return nhnRefusal(-2012);
  const result = text.results.get(vendorId, `${requestId}:${recipientSeq}`);
  if (result === undefined) return nhnRefusal(-2007);
  return nhnSuccess(nhnRow(vendorId, requestId, recipientSeq, result, text));
}

/**
 * NHN's result list (SMSDOC `api-guide.md` v3.0 "단문 SMS 발송목록 검색", "장문 MMS 발송 목록
 * 검색"): by requestId, or by registration dates, or by send dates:
 *
 *   GET /sms/v3.0/appKeys/{appKey}/sender/{sms|mms}?requestId=...&pageNum=1&pageSize=1000
 *   GET /sms/v3.0/appKeys/{appKey}/sender/{sms|mms}?startCreateDate=2026-01-01 09:00:00
 *       &endCreateDate=2026-01-01 09:01:00&pageNum=2&pageSize=1000
 *   -> {"header":{...},"body":{"pageNum":1,"pageSize":n,"totalCount":n,"data":[rows]}}
 *
 * "requestId 또는 startRequestDate + endRequestDate 또는 startCreateDate + endCreateDate는
 * 필수입니다. 등록 날짜/발송 날짜를 동시에 검색하는 경우, 발송 날짜는 무시됩니다." Dates are
 * `yyyy-MM-dd HH:mm:ss` in Korean time, both ends inclusive; the simulator sends at once (no
 * reservations), so a message's send date is its registration date. Rows come in registration
 * order. pageSize defaults to 15 and is at most 1,000; a requestId of the other product lists
 * nothing. No criterion, a half pair or a date not of that form: -2012. Of the optional filters
 * the simulator takes `senderGroupingKey` (the send call's, exact), the one herald searches by.
 */
export function listResults(
  vendorId: string,
  product: 'sms' | 'mms',
  query: URLSearchParams,
  text: TextSimulation,
): HttpAnswer {
  const throttled = throttle(vendorId, text);
  if (throttled !== undefined) return throttled;
  const pageNum = Number(query.get('pageNum') ?? 1);
  const pageSize = Number(query.get('pageSize') ?? 15);
  if (!Number.isInteger(pageNum) || pageNum < 1) return nhnRefusal(-2012);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1_000) return nhnRefusal(-2012);
  const listed = listedIds(vendorId, product, query, text, (pageNum - 1) * pageSize, pageSize);
  if (listed === undefined) return nhnRefusal(-2012);
  const data = listed.ids.flatMap((id) => {
    const result = text.results.get(vendorId, id);
    const [requestId, seq] = id.split(':');
    return result === undefined ? [] : [nhnRow(vendorId, requestId!, Number(seq), result, text)];
  });
  text.results.countListed(vendorId, data.length);
  return {
    status: 200,
    body: { header: nhnHeader(0), body: { pageNum, pageSize: data.length, totalCount: listed.count, data } },
  };
}

/** The criterion's ids: how many in all and the page's; undefined when the query names none validly. */
function listedIds(
  vendorId: string,
  product: 'sms' | 'mms',
  query: URLSearchParams,
  text: TextSimulation,
  offset: number,
  limit: number,
): { count: number; ids: string[] } | undefined {
  const requestId = query.get('requestId');
  const grouping = query.get('senderGroupingKey') || undefined;
  if (requestId) {
    const ids = text.results.group(vendorId, requestId).filter((id) => {
      const detail = text.results.get(vendorId, id)?.detail;
      return (
        (detail?.product ?? 'sms') === product &&
        (grouping === undefined || detail?.senderGroupingKey === grouping)
      );
    });
    return { count: ids.length, ids: ids.slice(offset, offset + limit) };
  }
  const range = dateRange(query, 'Create') ?? dateRange(query, 'Request');
  if (range === undefined || range === 'invalid') return undefined;
  return text.results
    .timeline(vendorId, nhnSeries(product, grouping))
    .between(range.from, range.to, offset, limit);
}

/**
 * The timeline a search by date reads: the product's, or its part sent under one senderGroupingKey
 * (kept apart, as NHN's index would be, so a search by key never walks the other keys' rows).
 */
export function nhnSeries(product: 'sms' | 'mms', senderGroupingKey?: string): string {
  return senderGroupingKey === undefined ? product : `${product} ${senderGroupingKey}`;
}

/**
 * `start<kind>Date` and `end<kind>Date` as epoch ms (the end's whole second included); undefined
 * when neither is given (another criterion may be), 'invalid' for a half pair or a bad date.
 */
function dateRange(
  query: URLSearchParams,
  kind: 'Create' | 'Request',
): { from: number; to: number } | 'invalid' | undefined {
  const start = query.get(`start${kind}Date`);
  const end = query.get(`end${kind}Date`);
  if (start === null && end === null) return undefined;
  const from = kstTime(start);
  const to = kstTime(end);
  return from === undefined || to === undefined ? 'invalid' : { from, to: to + 999 };
}

/** `yyyy-MM-dd HH:mm:ss` (Korean time) as epoch ms; undefined when not of that form or no such time. */
function kstTime(value: string | null): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(value ?? '');
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number) as number[];
  const at = Date.UTC(year!, month! - 1, day!, hour!, minute!, second!) - 9 * 3_600_000;
  // Date.UTC rolls 02-30 over into March: a date that does not round-trip does not exist.
  const back = new Date(at + 9 * 3_600_000);
  const exists =
    back.getUTCFullYear() === year &&
    back.getUTCMonth() === month! - 1 &&
    back.getUTCDate() === day &&
    back.getUTCHours() === hour &&
    back.getUTCMinutes() === minute &&
    back.getUTCSeconds() === second;
  return exists ? at : undefined;
}

/** NHN's look-ups are metered on their own (LookUpThrottle): 429 with Retry-After when over. */
function throttle(vendorId: string, text: TextSimulation): HttpAnswer | undefined {
  const waitMs = text.lookUps.tryTake(vendorId);
  return waitMs > 0 ? nhnThrottled(waitMs) : undefined;
}
