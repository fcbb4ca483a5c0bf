import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_RECEIPT_MIX, receiptFateOf } from '../../../src/simulators/text/receipt-mix.ts';
import { ReceiptTally } from '../../../src/simulators/text/receipt-tally.ts';

describe('receipt fates', () => {
  it('are the same for the same message and seed, and follow the mix over many messages', () => {
    assert.deepEqual(
      receiptFateOf('nhn-sms:R1:1', DEFAULT_RECEIPT_MIX),
      receiptFateOf('nhn-sms:R1:1', DEFAULT_RECEIPT_MIX),
    );
    const fates = Array.from({ length: 20_000 }, (_, i) => receiptFateOf(`v:${i}`, DEFAULT_RECEIPT_MIX));
    const share = (test: (fate: (typeof fates)[number]) => boolean) =>
      fates.filter(test).length / fates.length;
    assert.ok(Math.abs(share((fate) => fate.network === 'SKT') - 0.45) < 0.02);
    assert.ok(Math.abs(share((fate) => fate.network === 'MVNO') - 0.05) < 0.01);
    assert.ok(Math.abs(share((fate) => !fate.delivered) - 0.03) < 0.01);
    assert.ok(fates.every((fate) => fate.network === 'MVNO' || fate.parent === fate.network));
    assert.ok(fates.every((fate) => fate.parent !== ('MVNO' as string)));
  });

  it('change with the seed', () => {
    const other = { ...DEFAULT_RECEIPT_MIX, seed: 12 };
    const differ = Array.from({ length: 100 }, (_, i) => `v:${i}`).filter(
      (key) => receiptFateOf(key, other).network !== receiptFateOf(key, DEFAULT_RECEIPT_MIX).network,
    );
    assert.ok(differ.length > 0);
  });
});

describe('the receipt tally', () => {
  it('counts each message once per vendor, by outcome and carrier', () => {
    const tally = new ReceiptTally();
    tally.count('nhn-sms', 'a', true, 'SKT');
    tally.count('nhn-sms', 'a', true, 'SKT');
    tally.count('nhn-sms', 'b', false, 'KT');
    tally.count('sens-sms', 'a', true, 'LGU+');
    assert.deepEqual(tally.counts(), {
      'nhn-sms': { delivered: { SKT: 1 }, undelivered: { KT: 1 } },
      'sens-sms': { delivered: { 'LGU+': 1 }, undelivered: {} },
    });
    tally.reset();
    assert.deepEqual(tally.counts(), {});
  });
});
