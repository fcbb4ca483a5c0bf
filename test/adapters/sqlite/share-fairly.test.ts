import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { shareFairly } from '../../../src/adapters/sqlite/share-fairly.ts';

describe('shareFairly', () => {
  it('gives every waiting partition an equal share', () => {
    assert.deepEqual(shareFairly([100, 100, 100, 100], 100, 0), [25, 25, 25, 25]);
  });

  it('hands what small partitions cannot use to the busy ones', () => {
    assert.deepEqual(shareFairly([1000, 2, 0, 5], 100, 0), [93, 2, 0, 5]);
  });

  it('gives the odd records to partitions from the rotating start', () => {
    assert.deepEqual(shareFairly([10, 10, 10], 4, 0), [2, 1, 1]);
    assert.deepEqual(shareFairly([10, 10, 10], 4, 1), [1, 2, 1]);
    assert.deepEqual(shareFairly([10, 10, 10], 2, 2), [1, 0, 1]);
  });

  it('never grants more than is waiting or asked for', () => {
    assert.deepEqual(shareFairly([3, 0, 4], 100, 0), [3, 0, 4]);
    assert.deepEqual(shareFairly([0, 0], 10, 1), [0, 0]);
  });
});
