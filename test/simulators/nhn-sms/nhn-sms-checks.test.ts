import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { adMarkingCode, checkSendBody } from '../../../src/simulators/nhn-sms/nhn-sms-checks.ts';

const SMS = { type: 'sms', ad: false } as const;
const MMS = { type: 'mms', ad: false } as const;
const AD_SMS = { type: 'sms', ad: true } as const;

const call = (fields: Record<string, unknown> = {}) => ({
  body: '안내',
  sendNo: '15446859',
  recipientList: [{ recipientNo: '01012345678' }],
  ...fields,
});

const codeOf = (result: ReturnType<typeof checkSendBody>) => (result.ok ? 0 : result.code);

describe('nhn-sms simulator: ad marking (SMSDOC api-guide "광고 문자")', () => {
  for (const body of [
    '(광고) 테스트\n [무료 수신 거부]0808880327',
    '(광고)\n\n무료거부 080XXXXXXX'.replace('XXXXXXX', '1234567'),
    '(광고) 세일\n무료수신거부 080-123-4567  ',
    '(광고)세일 무료 거부 080 1234 5678',
  ]) {
    it(`accepts ${JSON.stringify(body)}`, () => assert.equal(adMarkingCode(body), undefined));
  }

  it('refuses an ad that does not start with (광고), with 4', () => {
    assert.equal(adMarkingCode('[광고] 세일 무료수신거부 0801234567'), 4);
    assert.equal(adMarkingCode(' (광고) 세일 무료수신거부 0801234567'), 4);
  });

  it('refuses an ad without the 080 opt-out at its end, with -6003', () => {
    assert.equal(adMarkingCode('(광고) 세일'), -6003);
    assert.equal(adMarkingCode('(광고) 세일 무료수신거부 0801234567 감사합니다'), -6003);
    assert.equal(adMarkingCode('(광고) 세일 무료수신거부 021234567'), -6003);
  });
});

describe('nhn-sms simulator: send body checks', () => {
  it('takes a well-formed SMS', () => assert.equal(codeOf(checkSendBody(call(), SMS)), 0));

  it('refuses empty or oversized recipient lists', () => {
    assert.equal(codeOf(checkSendBody(call({ recipientList: [] }), SMS)), -2001);
    const many = Array.from({ length: 1001 }, () => ({ recipientNo: '01012345678' }));
    assert.equal(codeOf(checkSendBody(call({ recipientList: many }), SMS)), -2016);
    assert.equal(codeOf(checkSendBody(call({ recipientList: many.slice(1) }), SMS)), 0);
  });

  it('refuses a missing body, a missing LMS/MMS title and a missing sendNo', () => {
    assert.equal(codeOf(checkSendBody(call({ body: '' }), SMS)), -2014);
    assert.equal(codeOf(checkSendBody(call(), MMS)), -2014);
    assert.equal(codeOf(checkSendBody(call({ title: '제목' }), MMS)), 0);
    assert.equal(codeOf(checkSendBody(call({ sendNo: undefined }), SMS)), -2312);
  });

  it('refuses characters outside EUC-KR in body or title with -2023', () => {
    assert.equal(codeOf(checkSendBody(call({ body: '안녕 😀' }), SMS)), -2023);
    assert.equal(codeOf(checkSendBody(call({ title: '똠', body: 'x' }), MMS)), -2023);
  });

  it('refuses text over the standard EUC-KR bytes with -2015 (SMS 90, title 40, LMS 2000)', () => {
    assert.equal(codeOf(checkSendBody(call({ body: '가'.repeat(45) }), SMS)), 0);
    assert.equal(codeOf(checkSendBody(call({ body: `${'가'.repeat(45)}a` }), SMS)), -2015);
    assert.equal(codeOf(checkSendBody(call({ title: 'a'.repeat(41) }), MMS)), -2015);
    assert.equal(codeOf(checkSendBody(call({ title: 't', body: '가'.repeat(1000) }), MMS)), 0);
    assert.equal(codeOf(checkSendBody(call({ title: 't', body: '가'.repeat(1001) }), MMS)), -2015);
  });

  it('applies the ad rules on ad senders only', () => {
    assert.equal(codeOf(checkSendBody(call({ body: '세일' }), AD_SMS)), 4);
    assert.equal(codeOf(checkSendBody(call({ body: '세일' }), SMS)), 0);
  });

  it('keeps attach file ids on MMS as strings', () => {
    const result = checkSendBody(call({ title: 't', attachFileIdList: [12, 'ab'] }), MMS);
    assert.ok(result.ok);
    assert.deepEqual(result.value.attachFileIdList, ['12', 'ab']);
  });
});
