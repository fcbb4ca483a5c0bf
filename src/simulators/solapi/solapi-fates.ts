import type { DeliveryResult } from '../text/delivery-results.ts';
import { type ReceiptFate, receiptFateOf } from '../text/receipt-mix.ts';
import type { TextSimulation } from '../text/text-simulation.ts';

/**
 * SOLAPI's status codes for a text message the carrier did not deliver (the ones herald's adapter
 * already classifies, solapi-status.ts: 3010 수신번호 형식 오류, 3032 미가입자), picked by the
 * message's fate; 4000 is delivered.
 */
const UNDELIVERED: readonly (readonly [code: string, reason: string])[] = [
  ['3032', '미가입자'],
  ['3010', '수신번호 형식 오류'],
];

export function solapiReason(code: string): string | undefined {
  return UNDELIVERED.find(([known]) => known === code)?.[1];
}

/** The fate and status code of an accepted SMS/LMS/MMS or VOICE (receipt-mix.ts: carrier mix, undelivered share). */
export function solapiFateOf(
  text: TextSimulation,
  vendorId: string,
  messageId: string,
): { fate: ReceiptFate; code: string } {
  const fate = receiptFateOf(`${vendorId}:${messageId}`, text.results.mix);
  const code = fate.delivered ? '4000' : UNDELIVERED[Math.floor(fate.pick * UNDELIVERED.length)]![0];
  return { fate, code };
}

/** Korea's MCC-MNC of each network, as SOLAPI's networkCode (solapi-network.ts reads it back). */
const NETWORK_CODES = { SKT: '45005', KT: '45008', 'LGU+': '45006' } as const;

/**
 * The network fields of a final text message: the network's name and code; an MVNO subscriber as
 * networkName "MVNO" without a code (SOLAPI documents neither field, so herald counts it as MVNO).
 */
export function solapiNetworkFields(
  result: DeliveryResult,
): { networkName: string; networkCode: string | null } | undefined {
  const network = result.fate?.network;
  if (network === undefined) return undefined;
  return network === 'MVNO'
    ? { networkName: 'MVNO', networkCode: null }
    : { networkName: network, networkCode: NETWORK_CODES[network] };
}

/** Counts a final text message once in the receipt tally, under the carrier herald will read. */
export function countSolapiReceipt(
  vendorId: string,
  messageId: string,
  result: DeliveryResult,
  text: TextSimulation,
): void {
  if (result.fate !== undefined) {
    text.results.tally.count(vendorId, messageId, result.code === '4000', result.fate.network);
  }
}
