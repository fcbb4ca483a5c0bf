import type { MessageEvent, VendorMessageRef } from '../../ports/history-store.ts';
import { canMove, type MessageStatus } from '../domain/message-status.ts';
import type { ReceiptRecord } from './receipt-codec.ts';
import { receiptEvent } from './receipt-event.ts';

/** A receipt matched to its message, and whether it moves the message's state. */
export interface MatchedReceipt<T> {
  readonly item: T;
  readonly message: VendorMessageRef;
  /** False: the message was already final (failed, expired, another result): an event only. */
  readonly moved: boolean;
}

export interface ReceiptMatch<T> {
  readonly events: MessageEvent[];
  readonly matched: MatchedReceipt<T>[];
  /** Receipts repeating the state their message already has: nothing is written for them. */
  readonly duplicates: T[];
  /** Receipts no message carries the vendor's id of (yet). */
  readonly unmatched: T[];
}

/**
 * Matches a batch of receipts to the messages found by (vendor, vendorMessageId) and says what to
 * write. The same receipt twice (a redelivered record, a webhook and a look-up of one message)
 * writes one event: a receipt whose state the message already has is a duplicate. The state a
 * message reaches is followed through the batch, so two receipts of one message in one batch are
 * judged as if they came one after the other.
 */
export function matchReceipts<T extends { readonly value: ReceiptRecord }>(
  items: readonly T[],
  found: (vendor: string, vendorMessageId: string) => VendorMessageRef | undefined,
): ReceiptMatch<T> {
  const result: ReceiptMatch<T> = { events: [], matched: [], duplicates: [], unmatched: [] };
  const states = new Map<string, MessageStatus>();
  for (const item of items) {
    const { receipt } = item.value;
    const message = found(receipt.vendor, receipt.vendorMessageId);
    if (!message) {
      result.unmatched.push(item);
      continue;
    }
    const current = states.get(message.messageId) ?? message.status;
    if (current === receipt.state) {
      result.duplicates.push(item);
      continue;
    }
    const moved = canMove(current, receipt.state);
    if (moved) states.set(message.messageId, receipt.state);
    result.events.push(receiptEvent(receipt, message));
    result.matched.push({ item, message, moved });
  }
  return result;
}
