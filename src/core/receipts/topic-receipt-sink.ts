import type { Transport } from '../../ports/transport.ts';
import type { DeliveryReceipt, ReceiptSink } from '../domain/delivery-receipt.ts';
import { receiptRecord } from './receipt-codec.ts';

/**
 * The ReceiptSink webhook routes hand receipts to: each goes onto the receipts topic, and `submit`
 * resolves only once the transport has them durably, so a route answers the vendor 2xx only for
 * receipts that cannot be lost (a vendor retries a webhook it got no 2xx for). The receipts worker
 * matches them to their messages.
 */
export class TopicReceiptSink implements ReceiptSink {
  readonly #transport: Pick<Transport, 'produce'>;

  constructor(transport: Pick<Transport, 'produce'>) {
    this.#transport = transport;
  }

  async submit(receipts: readonly DeliveryReceipt[]): Promise<void> {
    if (receipts.length === 0) return;
    await this.#transport.produce(receipts.map((receipt) => receiptRecord({ receipt, matchAttempt: 0 })));
  }
}
