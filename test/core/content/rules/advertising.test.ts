import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { advertising } from '../../../../src/core/content/rules/advertising.ts';
import { textUnderCheck as text } from '../text-under-check.ts';

const AD = '(광고) 헤럴드마트 봄 세일\n무료수신거부 080-888-0327';

describe('advertising rule outside the ad lane', () => {
  it('refuses text that reads as an ad with 422 HERALD_AD_OUTSIDE_AD_LANE, whatever its spelling', () => {
    for (const start of [
      '(광고)',
      '  (광고)',
      '\u200B(광고)',
      '\uFEFF(광고)',
      '（광고）',
      '[광고]',
      '(광 고)',
      '(廣告)',
    ]) {
      for (const lane of ['realtime', 'batch'] as const) {
        const error = advertising.check(text(`${start} 헤럴드마트 세일`, { lane }));
        assert.equal(error?.code, 'HERALD_AD_OUTSIDE_AD_LANE', `${start} on ${lane}`);
        assert.equal(error.httpStatus, 422);
        assert.match(error.message, new RegExp(`lane is ${lane}; send ads with lane "ad"`));
      }
    }
  });

  it('names the look-alike and the recipient it was rendered for', () => {
    const error = advertising.check(text('（광고） 세일', { recipient: 4 }));
    assert.match(
      error?.message ?? '',
      /^content\.body \(rendered for recipients\[4\]\) starts with '（광고）', which reads as '\(광고\)'/,
    );
  });

  it('reads an e-mail subject too, and leaves informational text alone', () => {
    const subject = advertising.check(text('본문', { channel: 'email', subject: '(광고) 봄 세일' }));
    assert.equal(subject?.code, 'HERALD_AD_OUTSIDE_AD_LANE');
    assert.match(subject.message, /^content\.subject starts with/);
    for (const body of ['주문이 발송되었습니다', '광고 문의에 답변드립니다', '발송 완료 (광고)']) {
      assert.equal(advertising.check(text(body)), undefined, body);
    }
  });
});

describe('advertising rule on the ad lane', () => {
  const ad = (body: string) => text(body, { lane: 'ad', senderName: '헤럴드마트' });

  it('accepts exactly (광고) and refuses a look-alike as HERALD_AD_MARKING_MISSING, quoting it', () => {
    assert.equal(advertising.check(ad(AD)), undefined);
    for (const start of ['（광고）', '\u200B(광고)', ' (광고)']) {
      const error = advertising.check(ad(AD.replace('(광고)', start)));
      assert.equal(error?.code, 'HERALD_AD_MARKING_MISSING', start);
    }
    assert.match(
      advertising.check(ad(AD.replace('(광고)', '（광고）')))?.message ?? '',
      /starts with '（광고）'/,
    );
  });

  it('keeps the checks linear on long bodies built to make a regex backtrack', () => {
    const spaces = `(광고) 헤럴드마트 ${' '.repeat(200_000)}무료거부 1${' 1'.repeat(100_000)}x`;
    assert.equal(advertising.check(ad(spaces))?.code, 'HERALD_AD_OPT_OUT_MISSING');
    const variant = `${' '.repeat(300_000)}x`;
    assert.equal(advertising.check(ad(variant))?.code, 'HERALD_AD_MARKING_MISSING');
  });
});
