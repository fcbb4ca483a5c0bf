import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findAdMarkLookalike } from '../../../src/core/content/ad-mark-lookalike.ts';

describe('findAdMarkLookalike', () => {
  it('reads the mark after leading spaces and invisible characters, quoting it as written', () => {
    const starts = [
      '(광고)',
      '   (광고)',
      '\n\t(광고)',
      '\u200B(광고)',
      '\u200C\u200D\u2060\uFEFF(광고)',
      '\u3000(광고)',
      '\u3164(광고)',
      '(광\u200B고)',
    ];
    for (const start of starts) {
      assert.deepEqual(
        findAdMarkLookalike(`${start} 봄 세일`),
        { written: '(광고)', readsAsMark: true },
        start,
      );
    }
  });

  it('reads full-width, compatibility and other bracketed spellings as the mark', () => {
    for (const written of [
      '（광고）',
      '﹙광고﹚',
      '[광고]',
      '【광고】',
      '<광고>',
      '〈광고〉',
      '(광 고)',
      '(광/고)',
      '(광.고)',
      '(廣告)',
      '광고)',
    ]) {
      assert.deepEqual(
        findAdMarkLookalike(`${written}헤럴드마트 세일`),
        { written, readsAsMark: true },
        written,
      );
    }
  });

  it('composes conjoining Hangul jamo before reading (NFKC)', () => {
    const jamo = '(\u1100\u116A\u11BC\u1100\u1169)'; // (광고) spelled in jamo
    assert.equal(findAdMarkLookalike(`${jamo} 세일`)?.readsAsMark, true);
  });

  it('does not read 광고 without a closing bracket as the mark, nor text that starts otherwise', () => {
    assert.deepEqual(findAdMarkLookalike('광고 문의에 답변드립니다'), {
      written: '광고',
      readsAsMark: false,
    });
    assert.deepEqual(findAdMarkLookalike('(광고 집행이 완료되었습니다)'), {
      written: '(광고',
      readsAsMark: false,
    });
    for (const text of ['주문이 발송되었습니다 (광고)', '광장 (광고)', '', '   ']) {
      assert.equal(findAdMarkLookalike(text), undefined, text);
    }
  });

  it('looks at the start only, however long the text or its leading spaces', () => {
    assert.equal(findAdMarkLookalike(`${' '.repeat(500_000)}(광고)`)?.readsAsMark, true);
    assert.equal(findAdMarkLookalike(`${'가'.repeat(500_000)}(광고)`), undefined);
  });
});
