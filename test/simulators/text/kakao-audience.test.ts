import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KakaoAudience } from '../../../src/simulators/text/kakao-audience.ts';

const numbers = Array.from({ length: 2_000 }, (_, i) => `010${String(10_000_000 + i)}`);

describe('KakaoAudience', () => {
  it('delivers to everyone until told otherwise', () => {
    const audience = new KakaoAudience();
    assert.ok(numbers.every((number) => audience.outcomeFor(number) === '1000'));
  });

  it('gives each number a fixed outcome drawn from the shares, the same on every call', () => {
    const audience = new KakaoAudience();
    audience.setShares({ notKakaoUser: 0.2, blocked: 0.1 });
    const first = numbers.map((number) => audience.outcomeFor(number));
    assert.deepEqual(
      numbers.map((number) => audience.outcomeFor(number)),
      first,
    );
    const share = (code: string) => first.filter((outcome) => outcome === code).length / numbers.length;
    assert.ok(Math.abs(share('3019') - 0.2) < 0.04, `3019 share ${share('3019')}`);
    assert.ok(Math.abs(share('3020') - 0.1) < 0.04, `3020 share ${share('3020')}`);
    assert.equal(share('3018'), 0);
  });

  it('lets named numbers override the shares, whatever their punctuation', () => {
    const audience = new KakaoAudience();
    audience.setShares({ notKakaoUser: 1 });
    audience.mark(['010-1234-5678'], '1000');
    audience.mark(['01099998888'], '3020');
    assert.equal(audience.outcomeFor('01012345678'), '1000');
    assert.equal(audience.outcomeFor('010 9999 8888'), '3020');
    assert.equal(audience.outcomeFor('01055556666'), '3019');
    audience.reset();
    assert.equal(audience.outcomeFor('01099998888'), '1000');
  });

  it('refuses shares outside 0..1 or over 1 together, changing nothing', () => {
    const audience = new KakaoAudience();
    assert.throws(() => audience.setShares({ notKakaoUser: 1.5 }), RangeError);
    assert.throws(() => audience.setShares({ notKakaoUser: 0.6, blocked: 0.6 }), RangeError);
    assert.deepEqual(audience.shares, { notKakaoUser: 0, blocked: 0, inactive: 0 });
  });
});
