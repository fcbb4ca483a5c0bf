import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { HeraldError } from '../../../src/core/domain/errors.ts';
import type { OutboundImage } from '../../../src/core/domain/message.ts';
import type { Vendor } from '../../../src/ports/vendor.ts';
import type { SimulatorServer } from '../../../src/simulators/simulator-server.ts';
import { createSolapiAlimtalkVendor } from '../../../src/vendors/solapi/solapi-alimtalk-vendor.ts';
import { createSolapiSmsVendor } from '../../../src/vendors/solapi/solapi-sms-vendor.ts';
import { checksOfOneBulkCall, outcomesOf } from '../../support/bulk-delivery.ts';
import {
  alimtalkMessage,
  PF_ID,
  registerTemplate,
  smsMessage,
  solapiAccount,
  solapiSimulator,
} from './solapi-test-kit.ts';

const signal = () => AbortSignal.timeout(10_000);

function jpeg(bytes: number, seed: string): OutboundImage {
  const content = new Uint8Array(bytes);
  content.set([0xff, 0xd8, 0xff, 0xe0]);
  content.set(Buffer.from(seed), 4);
  return { sha256: createHash('sha256').update(content).digest('hex'), fileName: 'photo.jpg', content };
}

async function failure(promise: Promise<unknown>): Promise<HeraldError> {
  return promise.then(
    () => assert.fail('should have failed'),
    (error: unknown) => error as HeraldError,
  );
}

describe('SOLAPI adapters against the simulator', () => {
  let sim: SimulatorServer;
  let sms: Vendor;
  let alimtalk: Vendor;

  before(async () => {
    const account = solapiAccount();
    sim = await solapiSimulator(account);
    sms = createSolapiSmsVendor({ id: 'solapi-sms', account, baseUrl: `${sim.url}/solapi-sms` });
    alimtalk = createSolapiAlimtalkVendor({
      id: 'solapi-alimtalk',
      account,
      baseUrl: `${sim.url}/solapi-alimtalk`,
    });
  });
  beforeEach(() => {
    sim.reset();
    registerTemplate(sim);
  });
  after(async () => {
    await sms.close();
    await alimtalk.close();
    await sim.close();
  });

  it('sends an LMS with a default subject and an MMS whose image is uploaded once per vendor', async () => {
    const long = `${'가'.repeat(60)}\n둘째 줄`;
    await sms.send(smsMessage({ channel: 'lms', body: long }), signal());
    const image = jpeg(150 * 1024, `lms-${Date.now()}`);
    const first = smsMessage({ channel: 'mms', subject: '사진', images: [image] });
    const second = smsMessage({ channel: 'mms', subject: '사진', images: [image] });
    await sms.send(first, signal());
    await sms.send(second, signal());
    assert.equal(sim.text.files.count('solapi-sms', image.sha256), 1);
    assert.equal(sim.countFor('solapi-sms', second.messageId), 1);
  });

  it('refuses an MMS image over 200 KB before uploading, so a retry prefers another vendor', async () => {
    const error = await failure(
      sms.send(smsMessage({ channel: 'mms', images: [jpeg(250 * 1024, 'big')] }), signal()),
    );
    assert.equal(error.code, 'HERALD_VENDOR_REJECTED');
    assert.equal(error.retryable, true);
    assert.equal(sim.text.files.count('solapi-sms'), 0);
  });

  it("maps SOLAPI's refusal of an unregistered sender number (1062)", async () => {
    sim.text.senderNumbers.set('solapi-sms', ['0299998888']);
    const error = await failure(sms.send(smsMessage(), signal()));
    assert.equal(error.code, 'HERALD_SENDER_NOT_REGISTERED');
    assert.equal(error.vendorCode, '1062');
    assert.equal(error.retryable, false);
  });

  it('refuses text SOLAPI cannot carry as EUC-KR (1029) and an SMS over 90 bytes (1031)', async () => {
    const emoji = await failure(sms.send(smsMessage({ body: '안녕 😀' }), signal()));
    assert.equal(emoji.vendorCode, '1029');
    const long = await failure(sms.send(smsMessage({ body: '가'.repeat(46) }), signal()));
    assert.equal(long.vendorCode, '1031');
  });

  it('reports a delivered AlimTalk, then undelivered with fallback for non-users and blocked recipients', async () => {
    const delivered = alimtalkMessage();
    const nonUser = alimtalkMessage();
    const blocked = alimtalkMessage();
    sim.text.kakao.mark([nonUser.to], '3019');
    sim.text.kakao.mark([blocked.to], '3020');
    const checks = [];
    for (const message of [delivered, nonUser, blocked]) {
      const { vendorMessageId } = await alimtalk.send(message, signal());
      checks.push(await alimtalk.checkDelivery!(vendorMessageId, signal()));
    }
    assert.equal(checks[0]!.state, 'delivered');
    assert.deepEqual(
      checks.slice(1).map((check) => check.state === 'undelivered' && [check.code, check.fallback]),
      [
        ['3104', true],
        ['3107', true],
      ],
    );
  });

  it('gives each AlimTalk of a bulk call its own SOLAPI messageId, which its look-up takes', async () => {
    const checks = await checksOfOneBulkCall(alimtalk, sim, [
      alimtalkMessage(),
      alimtalkMessage(),
      alimtalkMessage(),
    ]);
    assert.deepEqual(outcomesOf(checks), [
      ['delivered', '4000'],
      ['undelivered', '3104', true],
      ['undelivered', '3107', true],
    ]);
  });

  it('reports pending until Kakao has answered', async () => {
    sim.text.results.resultDelayMs = 60_000;
    const { vendorMessageId } = await alimtalk.send(alimtalkMessage(), signal());
    assert.deepEqual(await alimtalk.checkDelivery!(vendorMessageId, signal()), { state: 'pending' });
  });

  it('refuses an AlimTalk whose variables do not fill the template (1043) or whose channel is unknown (1041)', async () => {
    const incomplete = alimtalkMessage();
    const error = await failure(
      alimtalk.send({ ...incomplete, kakao: { ...incomplete.kakao!, variables: {} } }, signal()),
    );
    assert.equal(error.vendorCode, '1043');
    sim.text.kakaoSenders.set('solapi-alimtalk', ['KA01PFother']);
    const channel = await failure(alimtalk.send(alimtalkMessage(), signal()));
    assert.equal(channel.code, 'HERALD_KAKAO_CHANNEL_NOT_REGISTERED');
  });

  it('refuses a template not approved at SOLAPI (1042) and an ad on AlimTalk', async () => {
    sim.text.templates.put('solapi-alimtalk', {
      ...sim.text.templates.get('solapi-alimtalk', 'KA01TP200101000000000herald')!,
      state: 'requested',
    });
    const error = await failure(alimtalk.send(alimtalkMessage(), signal()));
    assert.equal(error.code, 'HERALD_TEMPLATE_NOT_APPROVED');
    const ad = await failure(alimtalk.send(alimtalkMessage({ lane: 'ad' }), signal()));
    assert.equal(ad.code, 'HERALD_AD_NOT_ALLOWED_ON_CHANNEL');
  });

  it('submits a template for review and lists it with its state and rejection reason', async () => {
    sim.text.templates.autoApprove = false;
    await alimtalk.templates!.submit(
      {
        code: 'welcome',
        name: 'welcome',
        body: '#{name}님 환영합니다',
        buttons: [{ type: 'WL', name: '바로가기', linkMobile: 'https://m.example.com' }],
        senderId: PF_ID,
      },
      signal(),
    );
    const listed = await alimtalk.templates!.list(PF_ID, signal());
    const welcome = listed.find((template) => template.name === 'welcome')!;
    assert.equal(welcome.state, 'requested');
    assert.match(welcome.code, /^KA01TP/);
    assert.deepEqual(welcome.buttons, [
      { type: 'WL', name: '바로가기', linkMobile: 'https://m.example.com' },
    ]);
    sim.text.templates.put('solapi-alimtalk', {
      ...sim.text.templates.get('solapi-alimtalk', welcome.code)!,
      state: 'rejected',
      rejectedReason: '변수 사용이 과도합니다',
    });
    const rejected = (await alimtalk.templates!.list(PF_ID, signal())).find((t) => t.code === welcome.code)!;
    assert.equal(rejected.state, 'rejected');
    assert.equal(rejected.rejectedReason, '변수 사용이 과도합니다');
  });

  it('walks the template list page by page', async () => {
    for (let i = 0; i < 150; i += 1) {
      sim.text.templates.put('solapi-alimtalk', {
        code: `KA01TP${String(i).padStart(4, '0')}`,
        name: `t${i}`,
        senderId: PF_ID,
        body: `본문 ${i}`,
        buttons: [],
      });
    }
    const listed = await alimtalk.templates!.list(PF_ID, signal());
    assert.equal(listed.length, 151);
  });
});
