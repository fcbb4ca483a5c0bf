import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eucKrByteLength, findNonEucKr } from '../../../src/core/content/euc-kr.ts';

describe('eucKrByteLength', () => {
  it('counts ASCII as 1 byte and Hangul as 2', () => {
    assert.equal(eucKrByteLength('abc'), 3);
    assert.equal(eucKrByteLength('가나다'), 6);
    assert.equal(eucKrByteLength('주문 A-1 발송'), 13);
    assert.equal(eucKrByteLength(''), 0);
  });

  it('counts newlines as bytes, as vendors do', () => {
    assert.equal(eucKrByteLength('a\r\nb'), 4);
  });
});

describe('findNonEucKr', () => {
  it('accepts Hangul, ASCII, KS X 1001 symbols and Hanja', () => {
    for (const text of ['안녕하세요 Kim', '①②③', '漢字', '￦1,000', '～·…', '']) {
      assert.equal(findNonEucKr(text), undefined, text);
    }
  });

  it('rejects an emoji and reports it as one character with its position', () => {
    assert.deepEqual(findNonEucKr('안녕😀하세요'), { char: '😀', index: 2, codePoint: 'U+1F600' });
  });

  it('rejects Hangul that only CP949 encodes (똠, 뷁, 햏)', () => {
    assert.deepEqual(findNonEucKr('김똠'), { char: '똠', index: 1, codePoint: 'U+B620' });
    assert.equal(findNonEucKr('뷁')?.char, '뷁');
    assert.equal(findNonEucKr('햏')?.char, '햏');
  });

  it('reports the first offending character after valid ones', () => {
    assert.equal(findNonEucKr('abc가나😀똠')?.index, 5);
  });

  it('rejects characters iconv cannot encode at all (won sign U+20A9, private use area)', () => {
    assert.equal(findNonEucKr('₩1000')?.codePoint, 'U+20A9');
    assert.equal(findNonEucKr('x\uE000')?.index, 1);
  });

  it('does not confuse an ASCII question mark with an unencodable character', () => {
    assert.equal(findNonEucKr('왜?? 정말?'), undefined);
  });
});
