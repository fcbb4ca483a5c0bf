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
 * 검색"), by requestId (the date-range searches are not simulated: -2012 without a requestId):
 *
 *   GET /sms/v3.0/appKeys/{appKey}/sender/{sms|mms}?requestId=...&pageNum=1&pageSize=1000
 *   -> {"header":{...},"body":{"pageNum":1,"pageSize":n,"totalCount":n,"data":[rows]}}
 *
 * pageSize defaults to 15 and is at most 1,000; a requestId of the other product lists nothing.
 */
export function listResults(
  vendorId: string,
  product: 'sms' | 'mms',
  query: URLSearchParams,
  text: TextSimulation,
): HttpAnswer {
  const throttled = throttle(vendorId, text);
  if (throttled !== undefined) return throttled;
  const requestId = query.get('requestId');
  const pageNum = Number(query.get('pageNum') ?? 1);
  const pageSize = Number(query.get('pageSize') ?? 15);
  if (!requestId || !Number.isInteger(pageNum) || pageNum < 1) return nhnRefusal(-2012);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1_000) return nhnRefusal(-2012);
  const ids = text.results
    .group(vendorId, requestId)
    .filter((id) => (text.results.get(vendorId, id)?.detail?.product ?? 'sms') === product);
  const page = ids.slice((pageNum - 1) * pageSize, pageNum * pageSize);
  const data = page.flatMap((id) => {
    const result = text.results.get(vendorId, id);
    const recipientSeq = Number(id.split(':')[1]);
    return result === undefined ? [] : [nhnRow(vendorId, requestId, recipientSeq, result, text)];
  });
  return {
    status: 200,
    body: { header: nhnHeader(0), body: { pageNum, pageSize: data.length, totalCount: ids.length, data } },
  };
}

/** NHN's look-ups are metered on their own (LookUpThrottle): 429 with Retry-After when over. */
function throttle(vendorId: string, text: TextSimulation): HttpAnswer | undefined {
  const waitMs = text.lookUps.tryTake(vendorId);
  return waitMs > 0 ? nhnThrottled(waitMs) : undefined;
}
