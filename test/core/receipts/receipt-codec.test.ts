import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeliveryReceipt } from '../../../src/core/domain/delivery-receipt.ts';
import { RECEIPTS_RETRY_TOPIC, RECEIPTS_TOPIC } from '../../../src/core/pipeline/topics.ts';
import { BoundedLabel } from '../../../src/core/receipts/bounded-label.ts';
import { decodeReceiptRecord, receiptRecord } from '../../../src/core/receipts/receipt-codec.ts';

const RECEIPT: DeliveryReceipt = {
  vendor: 'sens-sms',
  vendorMessageId: 'req-1:0',
  state: 'undelivered',
  at: 1_764_000_000_000,
  code: '3016',
  message: 'number not in service',
  carrier: 'LGU+',
  source: 'lookup',
  receivedAt: 1_764_000_001_000,
};

describe('receipt records (receipt-codec.ts)', () => {
  it('round-trips a receipt, keyed by vendor and vendor message id, on the topic asked for', () => {
    const record = receiptRecord({ receipt: RECEIPT, matchAttempt: 0, sentAt: 1 });
    assert.equal(record.topic, RECEIPTS_TOPIC);
    assert.equal(record.key, 'sens-sms:req-1:0');
    assert.deepEqual(decodeReceiptRecord(record.value), { receipt: RECEIPT, matchAttempt: 0, sentAt: 1 });
    const retry = receiptRecord({ receipt: RECEIPT, matchAttempt: 2, notBefore: 5 }, RECEIPTS_RETRY_TOPIC);
    assert.equal(retry.topic, RECEIPTS_RETRY_TOPIC);
    assert.equal(decodeReceiptRecord(retry.value)?.notBefore, 5);
  });

  it('refuses what is not a receipt record: poison, not a crash', () => {
    const bad = (receipt: unknown, extra: Record<string, unknown> = {}) =>
      decodeReceiptRecord(JSON.stringify({ receipt, matchAttempt: 0, ...extra }));
    assert.equal(decodeReceiptRecord('not json'), undefined);
    assert.equal(decodeReceiptRecord('null'), undefined);
    assert.equal(bad({ ...RECEIPT, carrier: 'Verizon' }), undefined);
    assert.equal(bad({ ...RECEIPT, state: 'sent' }), undefined);
    assert.equal(bad({ ...RECEIPT, source: 'guess' }), undefined);
    assert.equal(bad({ ...RECEIPT, vendorMessageId: '' }), undefined);
    assert.equal(bad({ ...RECEIPT, at: '2026-12-01' }), undefined);
    assert.equal(bad(RECEIPT, { sentAt: 'yesterday' }), undefined);
    assert.equal(decodeReceiptRecord(JSON.stringify({ receipt: RECEIPT })), undefined);
  });
});

describe('BoundedLabel', () => {
  it('keeps the first values of each owner and counts the rest as other', () => {
    const codes = new BoundedLabel(2);
    assert.equal(codes.of('a', '1000'), '1000');
    assert.equal(codes.of('a', '3016'), '3016');
    assert.equal(codes.of('a', '9999'), 'other');
    assert.equal(codes.of('a', '1000'), '1000');
    assert.equal(codes.of('b', '9999'), '9999');
  });
});
