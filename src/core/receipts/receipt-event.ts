import type { MessageEvent, VendorMessageRef } from '../../ports/history-store.ts';
import type { DeliveryReceipt } from '../domain/delivery-receipt.ts';

/**
 * The history event a receipt becomes on its message: `delivered` or `undelivered` at the vendor's
 * time, with the carrier and the vendor's result code, and the client for status callbacks. An
 * `undelivered` carries HERALD_UNDELIVERED (or the receipt's own code: HERALD_KAKAO_UNDELIVERED) and
 * `[code] text`, or HERALD_RECEIPT_TIMEOUT when herald stopped asking at the vendor's delivery timeout.
 */
export function receiptEvent(receipt: DeliveryReceipt, message: VendorMessageRef): MessageEvent {
  const event: MessageEvent = {
    messageId: message.messageId,
    clientId: message.clientId,
    status: receipt.state,
    at: receipt.at,
    vendor: receipt.vendor,
    carrier: receipt.carrier,
    ...(receipt.code !== '' && { resultCode: receipt.code }),
  };
  if (receipt.state === 'delivered') return event;
  if (receipt.source === 'timeout') {
    return { ...event, errorCode: 'HERALD_RECEIPT_TIMEOUT', errorMessage: receipt.message };
  }
  return {
    ...event,
    errorCode: receipt.errorCode ?? 'HERALD_UNDELIVERED',
    errorMessage: `[${receipt.code}] ${receipt.message}`,
  };
}
