import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type FinalCheck, NhnFinalRows } from '../../../src/vendors/nhn-sms/nhn-final-rows.ts';

const delivered: FinalCheck = { state: 'delivered', at: 1_000, code: '1000', carrier: 'SKT' };

describe('NHN final rows read ahead', () => {
  it('answers a key once', () => {
    const rows = new NhnFinalRows();
    rows.keep('r1:1', delivered, 0);
    assert.deepEqual(rows.take('r1:1', 10), delivered);
    assert.equal(rows.take('r1:1', 10), undefined);
    assert.equal(rows.take('r1:2', 10), undefined);
  });

  it('forgets the oldest beyond its count, and any older than its age', () => {
    const rows = new NhnFinalRows(3, 1_000);
    for (let i = 1; i <= 4; i++) rows.keep(`r:${i}`, delivered, i);
    assert.equal(rows.size, 3);
    assert.equal(rows.take('r:1', 5), undefined, 'the oldest went first');
    assert.deepEqual(rows.take('r:2', 5), delivered);
    assert.equal(rows.take('r:3', 1_005), undefined, 'read more than 1 s ago');
    assert.equal(rows.size, 0, 'r:4 aged out with it');
  });

  it('keeps a row read again as read now', () => {
    const rows = new NhnFinalRows(10, 1_000);
    rows.keep('r:1', delivered, 0);
    rows.keep('r:2', delivered, 500);
    rows.keep('r:1', delivered, 900);
    assert.equal(rows.take('r:2', 1_600), undefined);
    assert.deepEqual(rows.take('r:1', 1_600), delivered);
  });
});
