import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONTENT_RULES, checkCharacters, checkContent } from '../../../src/core/content/content-rules.ts';
import type { ContentUnderCheck } from '../../../src/core/content/rules/content-under-check.ts';
import { textUnderCheck as sms } from './text-under-check.ts';

const codeOf = (content: ContentUnderCheck) => {
  const checked = checkContent(content);
  return checked.ok ? checked.value : checked.error.code;
};

describe('content rules', () => {
  it('apply in one order: control characters, advertising, EUC-KR, channel size, push payload size', () => {
    assert.deepEqual(
      CONTENT_RULES.map((rule) => rule.name),
      ['control characters', 'advertising', 'EUC-KR', 'channel size', 'push payload size'],
    );
    const everything = `(광고) 😀 \u0000${'가'.repeat(1_001)}`;
    assert.equal(codeOf(sms(everything)), 'HERALD_CONTROL_CHARACTER');
    assert.equal(codeOf(sms(everything.replace('\u0000', ''))), 'HERALD_AD_OUTSIDE_AD_LANE');
    assert.equal(codeOf(sms(everything.replace('\u0000', '').slice(5))), 'HERALD_NOT_EUC_KR');
    assert.equal(codeOf(sms('가'.repeat(1_001))), 'HERALD_BODY_TOO_LONG');
  });

  it('answer the channel the text is sent on: an SMS over 90 bytes becomes an LMS', () => {
    assert.equal(codeOf(sms('가'.repeat(45))), 'sms');
    assert.equal(codeOf(sms('가'.repeat(46))), 'lms');
    assert.equal(codeOf(sms('가'.repeat(46), { smsAutoUpgrade: false })), 'HERALD_SMS_TOO_LONG');
  });

  it('name the recipient a rendered text was rendered for', () => {
    const checked = checkContent(sms('가'.repeat(1_001), { recipient: 7 }));
    assert.match(
      checked.ok ? '' : checked.error.message,
      /^content\.body \(rendered for recipients\[7\]\) is 2002 EUC-KR bytes; lms allows at most 2000/,
    );
  });

  it('judge the request’s own text with placeholders only by the rules that judge characters', () => {
    assert.equal(checkCharacters(sms('#{name}님 😀'))?.code, 'HERALD_NOT_EUC_KR');
    assert.equal(checkCharacters(sms('#{name}\u0000'))?.code, 'HERALD_CONTROL_CHARACTER');
    assert.equal(checkCharacters(sms(`(광고) #{name} ${'가'.repeat(2_000)}`)), undefined);
  });
});
