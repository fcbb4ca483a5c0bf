import { NHN_TELECOM_CODES } from '../../vendors/nhn-sms/nhn-telecom.ts';
import type { DeliveryResult } from '../text/delivery-results.ts';
import { type ReceiptFate, receiptFateOf } from '../text/receipt-mix.ts';
import type { TextSimulation } from '../text/text-simulation.ts';

/**
 * The carriers' result codes the simulated NHN reports for a message it could not deliver (SMSDOC
 * `error-code.md` "수신 결과 코드"), picked by the message's fate; 1000 is delivered.
 */
const UNDELIVERED: readonly (readonly [code: string, name: string])[] = [
  ['2003', '단말기 전원 꺼짐'],
  ['3001', '가입자 없음'],
  ['2000', '전송 시간 초과'],
  ['3006', '착신 거절'],
];

const TELECOM_OF: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(NHN_TELECOM_CODES).map(([code, carrier]) => [carrier, code]),
);

/** What NHN records of an accepted SMS/LMS/MMS: its fate at the carrier, and the code that follows. */
export function nhnFateOf(
  text: TextSimulation,
  vendorId: string,
  vendorMessageId: string,
): { fate: ReceiptFate; code: string } {
  const fate = receiptFateOf(`${vendorId}:${vendorMessageId}`, text.results.mix);
  const code = fate.delivered ? '1000' : UNDELIVERED[Math.floor(fate.pick * UNDELIVERED.length)]![0];
  return { fate, code };
}

/**
 * One message's row as NHN's look-ups answer it (the single look-up's `body.data`, an entry of the
 * list's `body.data[]`): msgStatus 2 (processing) until the result is ready, then 3 (delivered) or
 * 0 (failed) with the result code, the date and the network (NHN names the three networks only:
 * an MVNO subscriber is reported under the one it rides on). A final row is counted once in the
 * simulator's receipt tally, under the carrier herald will read from it.
 */
export function nhnRow(
  vendorId: string,
  requestId: string,
  recipientSeq: number,
  result: DeliveryResult,
  text: TextSimulation,
): Record<string, unknown> {
  const ready = text.now() >= result.readyAt;
  const delivered = result.code === '1000';
  const network = result.fate?.parent;
  if (ready)
    text.results.tally.count(vendorId, `${requestId}:${recipientSeq}`, delivered, network ?? 'unknown');
  const resultName = delivered ? '성공' : (UNDELIVERED.find(([code]) => code === result.code)?.[1] ?? '실패');
  return {
    requestId,
    recipientSeq,
    recipientNo: result.to,
    // No reservations here: registered and sent at once.
    requestDate: kstDate(result.acceptedAt),
    createDate: kstDate(result.acceptedAt),
    msgStatus: !ready ? '2' : delivered ? '3' : '0',
    msgStatusName: !ready ? '처리 중' : delivered ? '성공' : '실패',
    ...(ready
      ? {
          resultCode: result.code,
          resultCodeName: resultName,
          resultDate: kstDate(result.readyAt),
          ...(network === undefined
            ? {}
            : {
                telecomCode: Number(TELECOM_OF[network]),
                telecomCodeName: network === 'LGU+' ? 'LGU' : network,
              }),
        }
      : {}),
    messageType: String(result.detail?.messageType ?? 'SMS'),
    ...(result.detail?.senderGroupingKey === undefined
      ? {}
      : { senderGroupingKey: result.detail.senderGroupingKey }),
    recipientGroupingKey: result.messageId,
  };
}

/** NHN's dates: KST, `yyyy-MM-dd HH:mm:ss.S`. */
function kstDate(epochMs: number): string {
  const iso = new Date(epochMs + 9 * 3_600_000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 21)}`;
}
