import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StreakAndRateBreaker } from '../../../src/core/routing/streak-and-rate-breaker.ts';

function failTimes(breaker: StreakAndRateBreaker, n: number): boolean[] {
  return Array.from({ length: n }, () => breaker.failure());
}

describe('StreakAndRateBreaker', () => {
  it('opens on the threshold-th failure in a row of a vendor that fails everything', () => {
    const breaker = new StreakAndRateBreaker(5, () => 0);
    assert.deepEqual(failTimes(breaker, 5), [false, false, false, false, true]);
  });

  it('stays closed for a burst of failures among mostly successful calls', () => {
    const breaker = new StreakAndRateBreaker(5, () => 0);
    for (let i = 0; i < 1_000; i++) breaker.success();
    assert.deepEqual(failTimes(breaker, 155).includes(true), false);
  });

  it('opens once failures are at least half of the last ten seconds', () => {
    const breaker = new StreakAndRateBreaker(5, () => 0);
    for (let i = 0; i < 20; i++) breaker.success();
    const results = failTimes(breaker, 20);
    assert.equal(results.indexOf(true), 19, 'the 20th failure makes it half');
  });

  it('forgets successes older than ten seconds', () => {
    let now = 0;
    const breaker = new StreakAndRateBreaker(5, () => now);
    for (let i = 0; i < 1_000; i++) breaker.success();
    now = 10_500;
    assert.deepEqual(failTimes(breaker, 5), [false, false, false, false, true]);
  });

  it('a success breaks the streak', () => {
    const breaker = new StreakAndRateBreaker(3, () => 0);
    failTimes(breaker, 2);
    breaker.success();
    assert.deepEqual(failTimes(breaker, 3), [false, false, true]);
  });
});
