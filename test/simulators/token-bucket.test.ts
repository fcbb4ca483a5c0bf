import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TokenBucket } from '../../src/simulators/token-bucket.ts';

describe('TokenBucket', () => {
  it('allows a burst of one second, then says how long until the next token', () => {
    let now = 1_000;
    const bucket = new TokenBucket(4, () => now);
    assert.deepEqual([bucket.tryTake(), bucket.tryTake(), bucket.tryTake(), bucket.tryTake()], [0, 0, 0, 0]);
    assert.equal(bucket.tryTake(), 250);
    now += 100;
    assert.equal(Math.round(bucket.tryTake()), 150);
    now += 150;
    assert.equal(bucket.tryTake(), 0);
    assert.ok(bucket.tryTake() > 0);
  });

  it('never stores more than the burst, however long it was idle', () => {
    let now = 0;
    const bucket = new TokenBucket(2, () => now);
    now += 60_000;
    assert.equal(bucket.tryTake(), 0);
    assert.equal(bucket.tryTake(), 0);
    assert.ok(bucket.tryTake() > 0);
  });

  it('holds at least one token for rates below one per second', () => {
    let now = 0;
    const bucket = new TokenBucket(0.5, () => now);
    assert.equal(bucket.tryTake(), 0);
    assert.equal(bucket.tryTake(), 2_000);
    now += 2_000;
    assert.equal(bucket.tryTake(), 0);
  });
});
