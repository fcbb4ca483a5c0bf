import type { OutgoingRecord } from '../../ports/transport.ts';
import { isCarrier } from '../domain/carrier.ts';
import type { DeliveryReceipt } from '../domain/delivery-receipt.ts';
import { parseRecordObject } from '../domain/parse-record-object.ts';
import { RECEIPTS_TOPIC } from '../pipeline/topics.ts';

const SOURCES: readonly string[] = ['webhook', 'lookup', 'timeout'];

/**
 * A receipt as it travels on the receipts topics: the receipt itself, plus what only the pipeline
 * adds. `sentAt` is known to the look-up poller (its check record carries it) and feeds the
 * sent -> delivered latency; a webhook does not know it. `matchAttempt` counts the tries to match
 * it to a message (0: not tried yet), and `notBefore` is when the next try is due.
 */
export interface ReceiptRecord {
  readonly receipt: DeliveryReceipt;
  readonly sentAt?: number;
  readonly matchAttempt: number;
  readonly notBefore?: number;
}

/** The record on `topic`, keyed by the vendor's message id: every receipt of one message on one partition. */
export function receiptRecord(value: ReceiptRecord, topic: string = RECEIPTS_TOPIC): OutgoingRecord {
  const { vendor, vendorMessageId } = value.receipt;
  return { topic, key: `${vendor}:${vendorMessageId}`, value: JSON.stringify(value) };
}

/**
 * Decoding checks every field the receipts worker relies on, so a foreign or corrupt record is
 * poison (skipped and counted) instead of an event with holes in it.
 */
export function decodeReceiptRecord(value: string): ReceiptRecord | undefined {
  const r = parseRecordObject(value);
  if (r === undefined) return undefined;
  const ok =
    isReceipt(r.receipt) &&
    typeof r.matchAttempt === 'number' &&
    (r.sentAt === undefined || typeof r.sentAt === 'number') &&
    (r.notBefore === undefined || typeof r.notBefore === 'number');
  return ok ? (r as unknown as ReceiptRecord) : undefined;
}

function isReceipt(value: unknown): value is DeliveryReceipt {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return (
    typeof r.vendor === 'string' &&
    typeof r.vendorMessageId === 'string' &&
    r.vendorMessageId !== '' &&
    (r.state === 'delivered' || r.state === 'undelivered') &&
    typeof r.at === 'number' &&
    typeof r.code === 'string' &&
    typeof r.message === 'string' &&
    typeof r.carrier === 'string' &&
    isCarrier(r.carrier) &&
    typeof r.source === 'string' &&
    SOURCES.includes(r.source) &&
    typeof r.receivedAt === 'number' &&
    (r.errorCode === undefined || r.errorCode === 'HERALD_KAKAO_UNDELIVERED')
  );
}
