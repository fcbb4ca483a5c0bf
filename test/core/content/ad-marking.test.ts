import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AD_CHANNELS, checkAdMarking, isAdChannel } from '../../../src/core/content/ad-marking.ts';

const SENDER = '헤럴드마트';
const OPT_OUT = '무료수신거부 080-888-0327';
const ad = (start: string, end = OPT_OUT) => `${start} ${SENDER} 봄 세일 20%\n${end}`;

/** The code of the first rule `body` breaks, or undefined when it is a correctly marked ad. */
const codeOf = (body: string, sender = SENDER) => checkAdMarking(body, sender, 'content.body')?.code;

describe('ad marking: (광고) at the very start (시행령 §61)', () => {
  it('accepts a body starting with exactly (광고)', () => {
    assert.equal(codeOf(ad('(광고)')), undefined);
    assert.equal(codeOf(`(광고)${SENDER} 세일\n${OPT_OUT}`), undefined, 'no space after the mark');
  });

  it('refuses the variants the law names, and others like them, saying which variant it found', () => {
    for (const variant of ['(광/고)', '[광고]', '(광 고)', '<광고>', '광고', '(광.고)', '【광고】']) {
      const error = checkAdMarking(ad(variant), SENDER, 'content.body');
      assert.equal(error?.code, 'HERALD_AD_MARKING_MISSING', variant);
      assert.match(error.message, new RegExp(`starts with '${variant.replace(/[()[\].]/g, '\\$&')}'`));
      assert.match(error.message, /\(광고\)/);
      assert.match(error.message, /§50④/);
    }
  });

  it('refuses the mark anywhere but at the very start, giving its position', () => {
    const error = checkAdMarking(` ${ad('(광고)')}`, SENDER, 'content.body');
    assert.equal(error?.code, 'HERALD_AD_MARKING_MISSING');
    assert.match(error.message, /index 1/);
    assert.equal(codeOf(`${SENDER} (광고) 세일\n${OPT_OUT}`), 'HERALD_AD_MARKING_MISSING');
  });

  it('refuses a body without any mark', () => {
    const error = checkAdMarking(`${SENDER} 세일\n${OPT_OUT}`, SENDER, 'content.body');
    assert.equal(error?.code, 'HERALD_AD_MARKING_MISSING');
    assert.match(error.message, /does not start with '\(광고\)'/);
  });
});

describe('ad marking: a free opt-out line at the end', () => {
  it('accepts 무료수신거부 and 무료거부 with 080 numbers spelled with hyphens, spaces or neither', () => {
    for (const line of [
      '무료수신거부 080-888-0327',
      '무료거부 080-888-0327',
      '무료수신거부 0808880327',
      '무료수신거부 080 888 0327',
      '무료수신거부080-8888-0327',
      '무료수신거부: 080-888-0327',
      '무료거부 080-888-0327  \n',
    ]) {
      assert.equal(codeOf(ad('(광고)', line)), undefined, line);
    }
  });

  it('refuses a body without the line, with the line not at the end, or with a number that is not 080', () => {
    const cases = {
      missing: `(광고) ${SENDER} 세일`,
      'not at the end': `(광고) ${SENDER} 세일\n${OPT_OUT}\n감사합니다`,
      'a mobile number': ad('(광고)', '무료수신거부 010-888-0327'),
      'a paid number': ad('(광고)', '무료수신거부 02-888-0327'),
      'too few digits': ad('(광고)', '무료수신거부 080-88-032'),
      'too many digits': ad('(광고)', '무료수신거부 080-8888-03270'),
      'another wording': ad('(광고)', '수신거부 080-888-0327'),
    };
    for (const [what, body] of Object.entries(cases)) {
      assert.equal(codeOf(body), 'HERALD_AD_OPT_OUT_MISSING', what);
    }
  });

  it('says whether the line is missing or only its number is wrong', () => {
    const wrongNumber = checkAdMarking(ad('(광고)', '무료수신거부 010-888-0327'), SENDER, 'content.body');
    assert.match(wrongNumber?.message ?? '', /not a free 080 number/);
    const missing = checkAdMarking(`(광고) ${SENDER} 세일`, SENDER, 'content.body');
    assert.match(missing?.message ?? '', /does not end with '무료수신거부' or '무료거부'/);
    assert.match(missing?.message ?? '', /무료수신거부 080-888-0327/, 'quotes an example line');
  });
});

describe('ad marking: the sender name, right after the mark, as its own words', () => {
  it('accepts the name right after the mark, with or without a space or brackets', () => {
    for (const start of [
      `(광고)${SENDER}`,
      `(광고) ${SENDER}`,
      `(광고)[${SENDER}]`,
      `(광고) 【 ${SENDER} 】`,
    ]) {
      assert.equal(codeOf(`${start} 봄 세일\n${OPT_OUT}`), undefined, start);
    }
    assert.equal(codeOf(`(광고) ${SENDER}: 봄 세일\n${OPT_OUT}`), undefined, 'punctuation ends the name');
    assert.equal(codeOf(`(광고)${SENDER}`, SENDER), 'HERALD_AD_OPT_OUT_MISSING', 'the end of the text too');
  });

  it('refuses a name elsewhere in the text, or one that is only the start of a longer word', () => {
    assert.equal(codeOf(`(광고) 봄 세일 - ${SENDER}\n${OPT_OUT}`), 'HERALD_AD_SENDER_MISSING');
    assert.equal(codeOf(`(광고) ${SENDER}몰 봄 세일\n${OPT_OUT}`), 'HERALD_AD_SENDER_MISSING');
  });

  it('does not let a one-character name pass as a substring (sender.name "0" or "가")', () => {
    const body = `(광고) 가나다 봄 세일 0원\n${OPT_OUT}`;
    assert.equal(codeOf(body, '가'), 'HERALD_AD_SENDER_MISSING');
    assert.equal(codeOf(body, '0'), 'HERALD_AD_SENDER_MISSING');
    assert.equal(codeOf(body, '가나다'), undefined);
  });

  it('refuses a body that does not contain the sender name, quoting it', () => {
    const error = checkAdMarking(
      `(광고) 봄 세일\n${OPT_OUT}`,
      SENDER,
      'content.body (rendered for recipients[2])',
    );
    assert.equal(error?.code, 'HERALD_AD_SENDER_MISSING');
    assert.match(error.message, /^content\.body \(rendered for recipients\[2\]\)/);
    assert.match(error.message, new RegExp(SENDER));
  });

  it('reports the first broken rule in order: mark, opt-out line, sender', () => {
    assert.equal(codeOf('봄 세일'), 'HERALD_AD_MARKING_MISSING');
    assert.equal(codeOf('(광고) 봄 세일'), 'HERALD_AD_OPT_OUT_MISSING');
  });
});

describe('ad channels', () => {
  it('are every channel but alimtalk', () => {
    assert.deepEqual([...AD_CHANNELS].sort(), ['email', 'lms', 'mms', 'push', 'sms', 'vms']);
    assert.equal(isAdChannel('alimtalk'), false);
    assert.equal(isAdChannel('sms'), true);
  });
});
