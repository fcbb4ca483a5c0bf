import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { HeraldError } from '../../../src/core/domain/errors.ts';
import type { OutboundMessage } from '../../../src/core/domain/message.ts';
import type { Vendor } from '../../../src/ports/vendor.ts';
import { createNhnAlimtalkVendor } from '../../../src/vendors/nhn-alimtalk/nhn-alimtalk-vendor.ts';
import { checksOfOneBulkCall, outcomesOf } from '../../support/bulk-delivery.ts';
import { alimtalkMessage, type NhnSimulator, startNhnSimulator, VENDOR_ID } from './nhn-alimtalk-test-kit.ts';

const signal = () => AbortSignal.timeout(10_000);

describe('nhn-alimtalk adapter against the simulator', () => {
  let nhn: NhnSimulator;
  let vendor: Vendor;

  beforeEach(async () => {
    nhn = await startNhnSimulator([{ type: 'WL', name: '배송 조회', linkMobile: 'https://example.com/t' }]);
    vendor = createNhnAlimtalkVendor({
      id: VENDOR_ID,
      appKey: nhn.trust.accountId,
      secretKey: nhn.trust.secret,
      baseUrl: nhn.baseUrl,
    });
  });
  afterEach(async () => {
    await vendor.close();
    await nhn.sim.close();
  });

  const message = (overrides: Partial<OutboundMessage> = {}) => alimtalkMessage(nhn.senderKey, overrides);
  const failure = (m: OutboundMessage) =>
    vendor.send(m, signal()).then(
      () => assert.fail('the send should have failed'),
      (error: unknown) => error as HeraldError,
    );

  it('learns from the look-up that Kakao delivered it (1000)', async () => {
    const receipt = await vendor.send(message(), signal());
    assert.match(receipt.vendorMessageId, /^[A-Za-z0-9]{25}:1$/);
    const check = await vendor.checkDelivery!(receipt.vendorMessageId, signal());
    assert.equal(check.state, 'delivered');
    assert.equal(check.state === 'delivered' && check.code, '1000');
  });

  for (const code of ['3018', '3019', '3020'] as const) {
    it(`reports Kakao ${code} as undelivered with the fallback to take over`, async () => {
      const m = message();
      nhn.sim.text.kakao.mark([m.to], code);
      const receipt = await vendor.send(m, signal());
      const check = await vendor.checkDelivery!(receipt.vendorMessageId, signal());
      assert.deepEqual(check.state === 'undelivered' && [check.code, check.fallback], [code, true]);
    });
  }

  it('reports content that is not the template filled in (3016) as undelivered without fallback', async () => {
    const m = message();
    const receipt = await vendor.send(
      { ...m, kakao: { ...m.kakao!, variables: { name: '홍길동' } } },
      signal(),
    );
    const check = await vendor.checkDelivery!(receipt.vendorMessageId, signal());
    assert.deepEqual(check.state === 'undelivered' && [check.code, check.fallback], ['3016', false]);
  });

  it("answers pending while Kakao's result is not known yet", async () => {
    nhn.sim.text.results.resultDelayMs = 3_600_000;
    const receipt = await vendor.send(message(), signal());
    assert.deepEqual(await vendor.checkDelivery!(receipt.vendorMessageId, signal()), { state: 'pending' });
  });

  it('names the template buttons by ordering, which the simulator checks against the template', async () => {
    const m = message();
    const button = { type: 'WL', name: '배송 조회', linkMobile: 'https://example.com/t' };
    await vendor.send({ ...m, kakao: { ...m.kakao!, buttons: [button] } }, signal());
    assert.equal(nhn.sim.countFor(VENDOR_ID, m.messageId), 1);
    const extra = message();
    const error = await failure({ ...extra, kakao: { ...extra.kakao!, buttons: [button, button] } });
    assert.equal(error.vendorCode, '-3033');
    assert.equal(nhn.sim.countFor(VENDOR_ID, extra.messageId), 0);
  });

  it('fails for good when the template is not approved at NHN (-3005)', async () => {
    const template = nhn.sim.text.templates.list(VENDOR_ID)[0]!;
    nhn.sim.text.templates.put(VENDOR_ID, { ...template, state: 'requested' });
    const error = await failure(message());
    assert.deepEqual(
      [error.code, error.vendorCode, error.retryable],
      ['HERALD_TEMPLATE_NOT_APPROVED', '-3005', false],
    );
  });

  it('fails for good when NHN does not know the sender key (-2017)', async () => {
    nhn.sim.text.kakaoSenders.set(VENDOR_ID, ['another-sender-key']);
    const error = await failure(message());
    assert.deepEqual([error.code, error.vendorCode], ['HERALD_KAKAO_CHANNEL_NOT_REGISTERED', '-2017']);
  });

  it('fails without a call when the message has no sender key or template code for this vendor', async () => {
    const m = message();
    const noSender = await failure({ ...m, kakao: { ...m.kakao!, senderIds: { other: 'x' } } });
    assert.equal(noSender.code, 'HERALD_KAKAO_CHANNEL_NOT_REGISTERED');
    const noTemplate = await failure({ ...m, kakao: { ...m.kakao!, templateCodes: {} } });
    assert.equal(noTemplate.code, 'HERALD_TEMPLATE_NOT_APPROVED');
    assert.equal(nhn.sim.countFor(VENDOR_ID, m.messageId), 0);
  });

  it('gives each message of a bulk call the receipt its own look-up needs (requestId:recipientSeq)', async () => {
    const checks = await checksOfOneBulkCall(vendor, nhn.sim, [message(), message(), message()]);
    assert.deepEqual(outcomesOf(checks), [
      ['delivered', '1000'],
      ['undelivered', '3019', true],
      ['undelivered', '3020', true],
    ]);
  });

  it('sends a repeated idempotency key once (the simulator replays the first answer)', async () => {
    const m = message();
    const first = await vendor.send(m, signal());
    const again = await vendor.send(m, signal());
    assert.equal(again.vendorMessageId, first.vendorMessageId);
    assert.equal(nhn.sim.countFor(VENDOR_ID, m.messageId), 1);
  });

  it('fails a look-up with a wrong secret as HERALD_VENDOR_AUTH', async () => {
    const receipt = await vendor.send(message(), signal());
    const wrong = createNhnAlimtalkVendor({
      id: VENDOR_ID,
      appKey: nhn.trust.accountId,
      secretKey: 'wrong',
      baseUrl: nhn.baseUrl,
    });
    try {
      const error = await wrong.checkDelivery!(receipt.vendorMessageId, signal()).then(
        () => assert.fail('the look-up should have failed'),
        (cause: unknown) => cause as HeraldError,
      );
      assert.deepEqual(
        [error.code, error.vendorCode, error.vendorFault],
        ['HERALD_VENDOR_AUTH', '-1001', true],
      );
    } finally {
      await wrong.close();
    }
  });
});
