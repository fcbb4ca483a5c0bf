import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { firstInvalidUtf8Offset } from '../../src/api/utf8-offset.ts';

const strict = new TextDecoder('utf-8', { fatal: true });
const isValid = (bytes: Uint8Array) => {
  try {
    strict.decode(bytes);
    return true;
  } catch {
    return false;
  }
};

describe('firstInvalidUtf8Offset', () => {
  it('finds the first ill-formed sequence of typical mistakes', () => {
    const eucKr = Buffer.from([0x7b, 0x22, 0xbe, 0xc8, 0xb3, 0xe7, 0x22, 0x7d]); // {"안녕"} in EUC-KR
    assert.equal(firstInvalidUtf8Offset(eucKr), 2);
    assert.equal(firstInvalidUtf8Offset(Buffer.from('안녕', 'utf8')), -1);
    assert.equal(firstInvalidUtf8Offset(Buffer.from('안녕', 'utf8').subarray(0, 4)), 3, 'cut short');
    assert.equal(firstInvalidUtf8Offset(Buffer.from([0x61, 0xc0, 0xaf])), 1, 'overlong /');
    assert.equal(firstInvalidUtf8Offset(Buffer.from([0xed, 0xa0, 0x80])), 0, 'UTF-16 surrogate');
    assert.equal(firstInvalidUtf8Offset(Buffer.from([0xf4, 0x90, 0x80, 0x80])), 0, 'above U+10FFFF');
  });

  it('agrees with a strict decoder on any bytes, and everything before the offset is valid', () => {
    // Mostly high bytes, so that ill-formed and well-formed multi-byte sequences are both common.
    const bytes = fc
      .uint8Array({ maxLength: 24 })
      .map((array) => array.map((byte) => (byte < 64 ? byte : byte | 0x80)));
    const mixed = fc.oneof(
      bytes,
      fc.string({ unit: 'binary' }).map((text) => Buffer.from(text, 'utf8')),
    );
    fc.assert(
      fc.property(mixed, (input) => {
        const offset = firstInvalidUtf8Offset(input);
        assert.equal(offset === -1, isValid(input));
        if (offset !== -1) {
          assert.ok(isValid(input.subarray(0, offset)), 'the bytes before the offset are valid');
          assert.ok(!isValid(input.subarray(0, offset + 4)), 'the sequence at the offset is not');
        }
      }),
      { numRuns: 2_000 },
    );
  });
});
