import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSeededRandom } from '../../src/simulators/seeded-random.ts';
import { pickError, vendorKindOf } from '../../src/simulators/vendor-error-catalogue.ts';

describe('pickError', () => {
  it('picks errors in proportion to their weights', () => {
    const errors = [
      { status: 500, code: 'A', weight: 3 },
      { status: 400, code: 'B', weight: 1 },
    ];
    const random = createSeededRandom(5);
    const picks = Array.from({ length: 8_000 }, () => pickError(errors, random).code);
    const shareOfA = picks.filter((code) => code === 'A').length / picks.length;
    assert.ok(Math.abs(shareOfA - 0.75) < 0.02, `share of A was ${shareOfA}`);
  });

  it('picks the last error when the source returns its maximum', () => {
    const errors = [
      { status: 500, code: 'A', weight: 1 },
      { status: 400, code: 'B', weight: 1 },
    ];
    assert.equal(pickError(errors, () => 0.999_999_999_999).code, 'B');
    assert.equal(pickError(errors, () => 0).code, 'A');
  });
});

describe('vendorKindOf', () => {
  it('derives the kind from the simulator vendor channels', () => {
    assert.equal(vendorKindOf('apns'), 'push');
    assert.equal(vendorKindOf('solapi-sms'), 'sms');
    assert.equal(vendorKindOf('nhn-alimtalk'), 'kakao');
    assert.equal(vendorKindOf('nope'), 'generic');
  });
});
