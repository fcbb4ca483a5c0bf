import type { Carrier } from './carrier.ts';

/**
 * What a vendor reported of one message it accepted: delivered to the phone (or mailbox), or not,
 * with its own result code and the network. Receipts come by the vendor's webhook or by polling its
 * look-up API; both go onto one receipts topic, and the receipts worker matches each to its message
 * by (vendor, vendorMessageId), the id the vendor gave at `sent`.
 */
export interface DeliveryReceipt {
  readonly vendor: string;
  readonly vendorMessageId: string;
  readonly state: 'delivered' | 'undelivered';
  /** When the vendor says it happened (epoch ms), not when herald heard of it. */
  readonly at: number;
  /** The vendor's own result code (NHN `resultCode`, SENS `statusCode`, SOLAPI `statusCode`). */
  readonly code: string;
  /** The vendor's words for it, for the `undelivered` event's message. */
  readonly message: string;
  readonly carrier: Carrier;
  /**
   * How herald learnt it: the vendor's webhook, a look-up, or no result by the vendor's delivery
   * timeout (herald records `undelivered` then, code HERALD_RECEIPT_TIMEOUT).
   */
  readonly source: 'webhook' | 'lookup' | 'timeout';
  /** When herald received it (epoch ms). */
  readonly receivedAt: number;
  /**
   * herald's code for an `undelivered` when it says more than HERALD_UNDELIVERED: an AlimTalk Kakao
   * did not deliver is HERALD_KAKAO_UNDELIVERED (its message then says what became of the fallback).
   */
  readonly errorCode?: 'HERALD_KAKAO_UNDELIVERED';
}

/** Where receipts from webhooks and look-ups go: the receipts topic, durably, before an answer. */
export interface ReceiptSink {
  submit(receipts: readonly DeliveryReceipt[]): Promise<void>;
}
