import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { HeraldError } from '../../../src/core/domain/errors.ts';
import type { OutboundMessage } from '../../../src/core/domain/message.ts';
import type { Vendor } from '../../../src/ports/vendor.ts';
import { createSensAlimtalkVendor } from '../../../src/vendors/sens/sens-alimtalk-vendor.ts';
import { checksOfOneBulkCall, outcomesOf } from '../../support/bulk-delivery.ts';
import {
  ALIMTALK_ACCOUNT,
  alimtalkMessage,
  CHANNEL,
  type SensSim,
  startSensSim,
  TEMPLATE,
} from './sens-test-kit.ts';

const SIGNAL = () => AbortSignal.timeout(10_000);

async function failure(vendor: Vendor, message: OutboundMessage): Promise<HeraldError> {
  return vendor.send(message, SIGNAL()).then(
    () => assert.fail('the send should have failed'),
    (error: unknown) => error as HeraldError,
  );
}

describe('sens-alimtalk adapter at the SENS simulator', () => {
  let sens: SensSim;
  let vendor: Vendor;
  beforeEach(async () => {
    sens = await startSensSim();
    vendor = createSensAlimtalkVendor({
      id: 'sens-alimtalk',
      baseUrl: sens.baseUrl('sens-alimtalk'),
      account: ALIMTALK_ACCOUNT,
    });
  });
  afterEach(async () => {
    await vendor.close();
    await sens.close();
  });

  it("learns Kakao's result from SENS' look-up: 0000 delivered", async () => {
    const { vendorMessageId } = await vendor.send(alimtalkMessage(), SIGNAL());
    const check = await vendor.checkDelivery!(vendorMessageId, SIGNAL());
    assert.equal(check.state, 'delivered');
    assert.equal(check.state === 'delivered' && check.code, '0000');
  });

  for (const code of ['3018', '3019', '3020'] as const) {
    it(`reports Kakao ${code} as undelivered with the fallback`, async () => {
      const message = alimtalkMessage();
      sens.sim.text.kakao.mark([message.to], code);
      const { vendorMessageId } = await vendor.send(message, SIGNAL());
      const check = await vendor.checkDelivery!(vendorMessageId, SIGNAL());
      assert.deepEqual(check.state === 'undelivered' && [check.code, check.fallback], [code, true]);
    });
  }

  it('gives each message of a bulk call its own SENS messageId, which its look-up takes', async () => {
    const checks = await checksOfOneBulkCall(vendor, sens.sim, [
      alimtalkMessage(),
      alimtalkMessage(),
      alimtalkMessage(),
    ]);
    assert.deepEqual(outcomesOf(checks), [
      ['delivered', '0000'],
      ['undelivered', '3019', true],
      ['undelivered', '3020', true],
    ]);
  });

  it('reports pending until Kakao has answered', async () => {
    sens.sim.text.results.resultDelayMs = 60_000;
    const { vendorMessageId } = await vendor.send(alimtalkMessage(), SIGNAL());
    assert.deepEqual(await vendor.checkDelivery!(vendorMessageId, SIGNAL()), { state: 'pending' });
  });

  it('refuses a channel SENS does not have, a template not approved and content not the template', async () => {
    sens.sim.text.kakaoSenders.set('sens-alimtalk', ['@other']);
    assert.equal((await failure(vendor, alimtalkMessage())).code, 'HERALD_VENDOR_REJECTED');
    sens.sim.text.kakaoSenders.set('sens-alimtalk', null);
    assert.equal((await failure(vendor, alimtalkMessage({ body: '다른 내용입니다.' }))).vendorCode, '400');
    sens.sim.text.templates.put('sens-alimtalk', {
      ...TEMPLATE,
      senderId: CHANNEL,
      buttons: [],
      state: 'requested',
    });
    const message = alimtalkMessage();
    assert.equal((await failure(vendor, message)).code, 'HERALD_VENDOR_REJECTED');
    assert.equal(sens.sim.countFor('sens-alimtalk', message.messageId), 0);
  });

  it('fails without a channel or template code for this vendor, before calling SENS', async () => {
    const base = alimtalkMessage();
    const noChannel = { ...base, kakao: { ...base.kakao!, senderIds: { 'nhn-alimtalk': 'key' } } };
    const noTemplate = { ...base, kakao: { ...base.kakao!, templateCodes: {} } };
    assert.equal((await failure(vendor, noChannel)).code, 'HERALD_KAKAO_CHANNEL_NOT_REGISTERED');
    assert.equal((await failure(vendor, noTemplate)).code, 'HERALD_TEMPLATE_NOT_APPROVED');
  });

  it('sends the template buttons, and refuses a web link button without both links', async () => {
    const buttons = [
      { type: 'WL', name: '배송 조회', linkMobile: 'https://m.example.com', linkPc: 'https://example.com' },
    ];
    sens.sim.text.templates.put('sens-alimtalk', { ...TEMPLATE, senderId: CHANNEL, buttons });
    const base = alimtalkMessage();
    const message = { ...base, kakao: { ...base.kakao!, buttons } };
    await vendor.send(message, SIGNAL());
    assert.equal(sens.sim.countFor('sens-alimtalk', message.messageId), 1);
    const broken = {
      ...base,
      kakao: {
        ...base.kakao!,
        buttons: [{ type: 'WL', name: '배송 조회', linkMobile: 'https://m.example.com' }],
      },
    };
    const refused = await failure(vendor, broken);
    assert.equal(refused.vendorCode, 'BUTTON_INVALID');
    assert.equal(refused.retryable, true, 'another AlimTalk vendor can send it');
  });

  it('submits a template and lists it with its review state', async () => {
    sens.sim.text.templates.autoApprove = false;
    const submission = {
      code: 'WELCOME',
      name: 'Welcome',
      body: '#{name}님 환영합니다.',
      buttons: [],
      senderId: CHANNEL,
    };
    await vendor.templates!.submit(submission, SIGNAL());
    sens.sim.text.templates.put('sens-alimtalk', {
      code: 'REFUSED',
      name: 'Refused',
      senderId: CHANNEL,
      body: '광고 문구',
      buttons: [],
      state: 'rejected',
      rejectedReason: '광고성 내용',
    });
    const listed = await vendor.templates!.list(CHANNEL, SIGNAL());
    const byCode = new Map(listed.map((template) => [template.code, template]));
    assert.equal(byCode.get('WELCOME')?.state, 'requested');
    assert.equal(byCode.get('WELCOME')?.body, submission.body);
    assert.equal(byCode.get(TEMPLATE.code)?.state, 'approved');
    assert.deepEqual(
      [byCode.get('REFUSED')?.state, byCode.get('REFUSED')?.rejectedReason],
      ['rejected', '광고성 내용'],
    );
    assert.deepEqual(await vendor.templates!.list('@nobody', SIGNAL()), []);
  });
});
