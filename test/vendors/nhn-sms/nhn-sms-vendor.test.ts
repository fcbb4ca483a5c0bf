import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { HeraldError } from '../../../src/core/domain/errors.ts';
import type { OutboundImage, OutboundMessage } from '../../../src/core/domain/message.ts';
import type { Vendor } from '../../../src/ports/vendor.ts';
import type { SimulatorServer } from '../../../src/simulators/simulator-server.ts';
import { DEFAULT_RECEIPT_MIX } from '../../../src/simulators/text/receipt-mix.ts';
import type { TextVendorTrust } from '../../../src/simulators/text/text-trust.ts';
import { FileIdCache } from '../../../src/vendors/file-id-cache.ts';
import { createNhnSmsVendor } from '../../../src/vendors/nhn-sms/nhn-sms-vendor.ts';
import { NHN_VENDOR_ID, nhnAccount, startNhnSimulator, textMessage } from './nhn-sms-test-kit.ts';

const DAY_MS = 24 * 60 * 60_000;

function jpeg(seed: string): OutboundImage {
  const content = Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
    Buffer.from(seed),
    Buffer.from([0xff, 0xd9]),
  ]);
  return { sha256: createHash('sha256').update(content).digest('hex'), fileName: `${seed}.jpg`, content };
}

describe('nhn-sms adapter at the simulator', () => {
  let account: TextVendorTrust;
  let sim: SimulatorServer;
  let vendor: Vendor;
  let simClock: number;

  beforeEach(async () => {
    account = nhnAccount();
    simClock = Date.now();
    sim = await startNhnSimulator(account, () => simClock);
    vendor = createNhnSmsVendor({
      id: NHN_VENDOR_ID,
      baseUrl: `${sim.url}/${NHN_VENDOR_ID}`,
      appKey: account.accountId,
      secretKey: account.secret,
      fileIds: new FileIdCache(),
    });
  });
  afterEach(async () => {
    await vendor.close();
    await sim.close();
  });

  const failure = (message: OutboundMessage) =>
    vendor.send(message, AbortSignal.timeout(10_000)).then(
      () => assert.fail('the send should have failed'),
      (error: unknown) => error as HeraldError,
    );

  it('sends an LMS with a title, and an MMS whose image is uploaded once for many messages', async () => {
    await vendor.send(
      textMessage({ channel: 'lms', body: '긴 본문 '.repeat(30) }),
      AbortSignal.timeout(10_000),
    );
    const image = jpeg('banner');
    const messages = [1, 2, 3].map(() => textMessage({ channel: 'mms', subject: '이벤트', images: [image] }));
    for (const message of messages) {
      const receipt = await vendor.send(message, AbortSignal.timeout(10_000));
      assert.match(receipt.vendorMessageId, /^\d{14}\w{11}:1:mms$/);
      assert.equal(sim.countFor(NHN_VENDOR_ID, message.messageId), 1);
    }
    assert.equal(sim.text.files.count(NHN_VENDOR_ID, image.sha256), 1);
  });

  it('uploads again, once, when NHN no longer has a file (-2004)', async () => {
    const image = jpeg('expiring');
    await vendor.send(textMessage({ channel: 'mms', images: [image] }), AbortSignal.timeout(10_000));
    simClock += 2 * DAY_MS; // the simulated NHN dropped the file; herald's cache still holds the id
    const message = textMessage({ channel: 'mms', images: [image] });
    await vendor.send(message, AbortSignal.timeout(10_000));
    assert.equal(sim.text.files.count(NHN_VENDOR_ID, image.sha256), 2);
    assert.equal(sim.countFor(NHN_VENDOR_ID, message.messageId), 1);
  });

  it('sends the ad lane through ad-sms, where NHN enforces the ad marking', async () => {
    const marked = textMessage({ lane: 'ad', body: '(광고) 가을 세일\n무료수신거부 080-123-4567' });
    await vendor.send(marked, AbortSignal.timeout(10_000));
    assert.equal(sim.countFor(NHN_VENDOR_ID, marked.messageId), 1);
    const error = await failure(textMessage({ lane: 'ad', body: '(광고) 가을 세일' }));
    assert.equal(error.code, 'HERALD_VENDOR_REJECTED');
    assert.equal(error.vendorCode, '-6003');
    // The same text on the realtime lane goes to /sender/sms, which has no ad rules.
    await vendor.send(textMessage({ body: '(광고) 가을 세일' }), AbortSignal.timeout(10_000));
  });

  it('fails a sender number the vendor does not have as HERALD_SENDER_NOT_REGISTERED', async () => {
    sim.text.senderNumbers.set(NHN_VENDOR_ID, ['0212345678']);
    const error = await failure(textMessage({ from: '15446859' }));
    assert.equal(error.code, 'HERALD_SENDER_NOT_REGISTERED');
    assert.equal(error.vendorCode, '-2312');
    await vendor.send(textMessage({ from: '0212345678' }), AbortSignal.timeout(10_000));
  });

  it("fails text NHN cannot carry with NHN's own code", async () => {
    const emoji = await failure(textMessage({ body: '배송 완료 😀' }));
    assert.equal(emoji.vendorCode, '-2023');
    assert.equal(emoji.retryable, false);
    const long = await failure(textMessage({ body: '가'.repeat(46) }));
    assert.equal(long.vendorCode, '-2015');
    const badNumber = await failure(textMessage({ to: '12345' }));
    assert.equal(badNumber.code, 'HERALD_RECIPIENT_INVALID');
  });

  it("reads NHN's result look-up: pending until the carrier answers, then delivered", async () => {
    sim.text.results.resultDelayMs = 60_000;
    sim.text.results.mix = { ...DEFAULT_RECEIPT_MIX, undeliveredShare: 0 };
    const sms = await vendor.send(textMessage(), AbortSignal.timeout(10_000));
    const lms = await vendor.send(textMessage({ channel: 'lms' }), AbortSignal.timeout(10_000));
    assert.deepEqual(await vendor.checkDelivery!(sms.vendorMessageId, AbortSignal.timeout(10_000)), {
      state: 'pending',
    });
    simClock += 61_000;
    for (const receipt of [sms, lms]) {
      const check = await vendor.checkDelivery!(receipt.vendorMessageId, AbortSignal.timeout(10_000));
      assert.equal(check.state, 'delivered');
      assert.equal(check.state === 'delivered' && check.code, '1000');
    }
    const unknown = await vendor.checkDelivery!(
      '20260101000000AAAAAAAAAAA:1',
      AbortSignal.timeout(10_000),
    ).then(
      () => assert.fail('the look-up should have failed'),
      (error: unknown) => error as HeraldError,
    );
    assert.equal(unknown.vendorCode, '-2007');
  });
});
