import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TokenBucket } from '../../../src/core/pipeline/token-bucket.ts';

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

describe('TokenBucket.takeUpTo', () => {
  it('takes whole tokens up to what is there, and what is given back can be taken again', () => {
    let now = 0;
    const bucket = new TokenBucket(1_000, () => now);
    assert.equal(bucket.takeUpTo(600), 600);
    assert.equal(bucket.takeUpTo(600), 400, 'the rest of the one-second burst');
    assert.equal(bucket.takeUpTo(600), 0);
    now += 250;
    assert.equal(bucket.takeUpTo(600), 250, 'a quarter second refills a quarter of the rate');
    bucket.giveBack(100);
    assert.equal(bucket.takeUpTo(600), 100);
    now += 60_000;
    bucket.giveBack(5_000);
    assert.equal(bucket.takeUpTo(5_000), 1_000, 'never more than the burst');
  });
});
