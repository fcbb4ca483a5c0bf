import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { HeraldError } from '../../../src/core/domain/errors.ts';
import type { OutboundImage, OutboundMessage } from '../../../src/core/domain/message.ts';
import type { Vendor } from '../../../src/ports/vendor.ts';
import { FileIdCache } from '../../../src/vendors/file-id-cache.ts';
import { createSensSmsVendor } from '../../../src/vendors/sens/sens-sms-vendor.ts';
import { type SensSim, SMS_ACCOUNT, smsMessage, startSensSim } from './sens-test-kit.ts';

const SIGNAL = () => AbortSignal.timeout(10_000);

function jpeg(seed: string): OutboundImage {
  const content = Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
    Buffer.from(seed),
    Buffer.from([0xff, 0xd9]),
  ]);
  return { sha256: createHash('sha256').update(content).digest('hex'), fileName: `${seed}.jpg`, content };
}

async function failure(vendor: Vendor, message: OutboundMessage): Promise<HeraldError> {
  return vendor.send(message, SIGNAL()).then(
    () => assert.fail('the send should have failed'),
    (error: unknown) => error as HeraldError,
  );
}

describe('sens-sms adapter at the SENS simulator', () => {
  let sens: SensSim;
  let vendor: Vendor;
  let clock = Date.now();
  beforeEach(async () => {
    clock = Date.now();
    sens = await startSensSim({ epochNow: () => clock });
    vendor = createSensSmsVendor({
      id: 'sens-sms',
      baseUrl: sens.baseUrl('sens-sms'),
      account: SMS_ACCOUNT,
      fileIds: new FileIdCache(),
    });
  });
  afterEach(async () => {
    await vendor.close();
    await sens.close();
  });

  it('sends an LMS with a default subject and an ad as contentType AD', async () => {
    const lms = smsMessage({ channel: 'lms', body: `첫 줄 제목\n${'가'.repeat(200)}` });
    const ad = smsMessage({ lane: 'ad', body: '(광고) 할인 안내\n무료수신거부 0801234567' });
    assert.match((await vendor.send(lms, SIGNAL())).vendorMessageId, /^\w+:[0-9a-f]{16}:1$/);
    await vendor.send(ad, SIGNAL());
    assert.equal(sens.sim.countFor('sens-sms', lms.messageId), 1);
    assert.equal(sens.sim.countFor('sens-sms', ad.messageId), 1);
  });

  it('refuses a sender number SENS does not have on record, and sends none', async () => {
    sens.sim.text.senderNumbers.set('sens-sms', ['0212345678']);
    const message = smsMessage({ from: '0298765432' });
    const error = await failure(vendor, message);
    assert.equal(error.code, 'HERALD_VENDOR_REJECTED');
    assert.equal(error.vendorCode, '400');
    assert.equal(sens.sim.countFor('sens-sms', message.messageId), 0);
    await vendor.send(smsMessage(), SIGNAL());
  });

  it('fails a message without a sender number before calling SENS', async () => {
    const error = await failure(vendor, smsMessage({ from: undefined }));
    assert.equal(error.code, 'HERALD_SENDER_NOT_REGISTERED');
    assert.equal(error.retryable, false);
  });

  it("refuses an SMS over 90 EUC-KR bytes and text outside EUC-KR, as SENS' byte rules do", async () => {
    assert.equal((await failure(vendor, smsMessage({ body: '가'.repeat(46) }))).vendorCode, '400');
    assert.equal((await failure(vendor, smsMessage({ body: '발송 완료 😀' }))).vendorCode, '400');
    await vendor.send(smsMessage({ body: '가'.repeat(45) }), SIGNAL());
  });

  it('uploads an MMS image once and names its file id in every send', async () => {
    const image = jpeg(`img-${randomUUID().slice(0, 8)}`);
    const first = smsMessage({ channel: 'mms', subject: '쿠폰', images: [image] });
    const second = smsMessage({ channel: 'mms', subject: '쿠폰', images: [image] });
    await vendor.send(first, SIGNAL());
    await vendor.send(second, SIGNAL());
    assert.equal(sens.sim.text.files.count('sens-sms', image.sha256), 1);
    assert.equal(sens.sim.countFor('sens-sms', second.messageId), 1);
  });

  it('refuses an MMS naming a file SENS no longer has', async () => {
    const image = jpeg('lapsed');
    await vendor.send(smsMessage({ channel: 'mms', images: [image] }), SIGNAL());
    sens.sim.text.files.reset();
    const error = await failure(vendor, smsMessage({ channel: 'mms', images: [image] }));
    assert.equal(error.code, 'HERALD_VENDOR_REJECTED');
  });

  it('is taken while its clock is within 5 minutes of the gateway, either way', async () => {
    const sent = smsMessage();
    clock -= 4 * 60_000;
    await vendor.send(sent, SIGNAL());
    clock += 8 * 60_000;
    await vendor.send(smsMessage(), SIGNAL());
    assert.equal(sens.sim.countFor('sens-sms', sent.messageId), 1);
  });

  it('is refused as HERALD_VENDOR_AUTH when its clock is more than 5 minutes off the gateway', async () => {
    clock += 5 * 60_000 + 1_000;
    const message = smsMessage();
    const error = await failure(vendor, message);
    assert.equal(error.code, 'HERALD_VENDOR_AUTH');
    assert.equal(error.vendorCode, '200');
    assert.equal(error.vendorFault, true);
    assert.equal(sens.sim.countFor('sens-sms', message.messageId), 0);
  });

  it('is refused as HERALD_VENDOR_AUTH when it names another service id', async () => {
    const other = createSensSmsVendor({
      id: 'sens-sms',
      baseUrl: sens.baseUrl('sens-sms'),
      account: { ...SMS_ACCOUNT, serviceId: 'ncp:sms:kr:999999999999:other' },
    });
    try {
      const error = await failure(other, smsMessage());
      assert.equal(error.code, 'HERALD_VENDOR_AUTH');
      assert.equal(error.vendorCode, '230');
    } finally {
      await other.close();
    }
  });
});
