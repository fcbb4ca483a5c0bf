import type { OutgoingRecord } from '../../ports/transport.ts';
import type { DeliveryCheckState, Envelope } from '../domain/message.ts';
import { retryRecord } from './retry-plan.ts';

/**
 * A delivery look-up still to come (AlimTalk's Kakao result, a text message's receipt): the message
 * with its check state on the lane's retry topic, held by the retry worker until `notBefore` and
 * brought back to the lane like a retry. Durable: a pending look-up is a record, never a timer.
 */
export function checkRecord(
  envelope: Envelope,
  state: DeliveryCheckState,
  notBefore: number,
): OutgoingRecord {
  return retryRecord({ ...envelope, deliveryCheck: state }, { notBefore, attempt: envelope.attempt });
}

/** The wait before look-up `round` (1-based): `firstMs`, doubling each round, never above `maxMs`. */
export function doublingDelay(round: number, firstMs: number, maxMs: number): number {
  return Math.min(maxMs, firstMs * 2 ** Math.max(0, round - 1));
}
