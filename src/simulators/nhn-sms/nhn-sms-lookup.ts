import type { TextSimulation } from '../text/text-simulation.ts';
import type { HttpAnswer } from '../wire-contract.ts';
import { nhnRefusal, nhnSuccess } from './nhn-sms-answers.ts';

/**
 * NHN's single result look-up (SMSDOC `api-guide.md` v3.0 "단문 SMS 발송 단일 검색"; the MMS one
 * is alike under /sender/mms):
 *
 *   GET /sms/v3.0/appKeys/{appKey}/sender/{sms|mms}/{requestId}?recipientSeq=1
 *   -> {"header":{...},"body":{"data":{"requestId":"...","recipientSeq":1,"recipientNo":"010...",
 *        "msgStatus":"3","msgStatusName":"성공","resultCode":"1000","resultCodeName":"성공",
 *        "resultDate":"2018-08-10 10:06:42.0","recipientGroupingKey":"..."}}}
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
  const recipientSeq = Number(query.get('recipientSeq') ?? query.get('mtPr'));
  if (!Number.isInteger(recipientSeq) || recipientSeq < 1) return nhnRefusal(-2012);
  const result = text.results.get(vendorId, `${requestId}:${recipientSeq}`);
  if (result === undefined) return nhnRefusal(-2007);
  const ready = text.now() >= result.readyAt;
  const delivered = result.code === '1000';
  return nhnSuccess({
    requestId,
    recipientSeq,
    recipientNo: result.to,
    msgStatus: !ready ? '2' : delivered ? '3' : '0',
    msgStatusName: !ready ? '처리 중' : delivered ? '성공' : '실패',
    ...(ready
      ? {
          resultCode: result.code,
          resultCodeName: delivered ? '성공' : '실패',
          resultDate: kstDate(result.readyAt),
        }
      : {}),
    recipientGroupingKey: result.messageId,
  });
}

/** NHN's dates: KST, `yyyy-MM-dd HH:mm:ss.S`. */
function kstDate(epochMs: number): string {
  const iso = new Date(epochMs + 9 * 3_600_000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 21)}`;
}
