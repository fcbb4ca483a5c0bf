import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { HeraldError } from '../../../src/core/domain/errors.ts';
import type { Vendor } from '../../../src/ports/vendor.ts';
import { fromNhnTemplate } from '../../../src/vendors/nhn-alimtalk/nhn-alimtalk-templates.ts';
import { createNhnAlimtalkVendor } from '../../../src/vendors/nhn-alimtalk/nhn-alimtalk-vendor.ts';
import {
  type NhnSimulator,
  startNhnSimulator,
  TEMPLATE_BODY,
  TEMPLATE_CODE,
  VENDOR_ID,
} from './nhn-alimtalk-test-kit.ts';

const signal = () => AbortSignal.timeout(10_000);
const WEB_LINK = {
  type: 'WL',
  name: '배송 조회',
  linkMobile: 'https://example.com/t',
  linkPc: 'https://example.com/p',
};

describe('nhn-alimtalk template API against the simulator', () => {
  let nhn: NhnSimulator;
  let vendor: Vendor;

  beforeEach(async () => {
    nhn = await startNhnSimulator([WEB_LINK]);
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

  it("lists the sender key's templates with their state and buttons", async () => {
    const listed = await vendor.templates!.list(nhn.senderKey, signal());
    assert.deepEqual(listed, [
      { code: TEMPLATE_CODE, name: '발송 안내', body: TEMPLATE_BODY, buttons: [WEB_LINK], state: 'approved' },
    ]);
    assert.deepEqual(
      await vendor.templates!.list('another-sender', signal()).catch((e: HeraldError) => e.vendorCode),
      '-2017',
    );
  });

  it('reads every page of a long list, and a rejection with its reason', async () => {
    for (let i = 0; i < 1_203; i += 1) {
      nhn.sim.text.templates.put(VENDOR_ID, {
        code: `T${i}`,
        name: `t${i}`,
        senderId: nhn.senderKey,
        body: 'b',
        buttons: [],
        ...(i === 7 ? { state: 'rejected' as const, rejectedReason: '변수 과다' } : {}),
      });
    }
    const listed = await vendor.templates!.list(nhn.senderKey, signal());
    assert.equal(listed.length, 1_204);
    assert.deepEqual(
      listed.filter((t) => t.state === 'rejected').map((t) => [t.code, t.rejectedReason]),
      [['T7', '변수 과다']],
    );
  });

  it('registers a template, approved at once or left for review as the simulator says', async () => {
    nhn.sim.text.templates.autoApprove = false;
    const submission = {
      code: 'NEW_ONE',
      name: '신규',
      body: '#{name}님 안녕하세요',
      buttons: [WEB_LINK],
      senderId: nhn.senderKey,
    };
    await vendor.templates!.submit(submission, signal());
    const stored = nhn.sim.text.templates.get(VENDOR_ID, 'NEW_ONE')!;
    assert.deepEqual([stored.state, stored.body, stored.buttons], ['requested', submission.body, [WEB_LINK]]);
  });

  it('modifies a template registered before (-3001 on register), which goes back to review', async () => {
    nhn.sim.text.templates.autoApprove = false;
    await vendor.templates!.submit(
      { code: TEMPLATE_CODE, name: '발송 안내', body: '바뀐 #{name}', buttons: [], senderId: nhn.senderKey },
      signal(),
    );
    const stored = nhn.sim.text.templates.get(VENDOR_ID, TEMPLATE_CODE)!;
    assert.deepEqual([stored.state, stored.body], ['requested', '바뀐 #{name}']);
  });

  it("refuses a button without its type's required fields the way NHN does", async () => {
    const submit = (buttons: { type: string; name: string; linkMobile?: string; schemeIos?: string }[]) =>
      vendor
        .templates!.submit(
          { code: 'BAD', name: 'bad', body: 'b', buttons, senderId: nhn.senderKey },
          signal(),
        )
        .then(
          () => assert.fail('the registration should have failed'),
          (error: HeraldError) => [error.code, error.vendorCode],
        );
    assert.deepEqual(await submit([{ type: 'WL', name: '링크' }]), ['HERALD_VENDOR_REJECTED', '-3000']);
    assert.deepEqual(await submit([{ type: 'WL', name: '링크', linkMobile: 'ftp://x' }]), [
      'HERALD_VENDOR_REJECTED',
      '-3006',
    ]);
    assert.deepEqual(await submit([{ type: 'AL', name: '앱', schemeIos: 'ios://x' }]), [
      'HERALD_VENDOR_REJECTED',
      '-3007',
    ]);
    assert.deepEqual(await submit([{ type: 'AC', name: '친구 추가' }]), ['HERALD_VENDOR_REJECTED', '-3026']);
    assert.equal(nhn.sim.text.templates.get(VENDOR_ID, 'BAD'), undefined);
  });
});

describe('NHN template list entry', () => {
  it('orders buttons by ordering and reads review states', () => {
    const entry = fromNhnTemplate({
      templateCode: 'C',
      templateName: 'n',
      templateContent: 'b',
      status: 'TSC02',
      buttons: [
        { ordering: 2, type: 'BK', name: 'two', linkMo: null },
        { ordering: 1, type: 'DS', name: 'one' },
      ],
    });
    assert.deepEqual(entry, {
      code: 'C',
      name: 'n',
      body: 'b',
      state: 'requested',
      buttons: [
        { type: 'DS', name: 'one' },
        { type: 'BK', name: 'two' },
      ],
    });
  });
});
