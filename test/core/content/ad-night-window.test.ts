import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatKst, nextSendableAt } from '../../../src/core/content/ad-night-window.ts';

/** Epoch ms of a KST wall-clock time (KST is UTC+9 all year). */
function kst(year: number, month: number, day: number, hour: number, minute = 0, second = 0, ms = 0): number {
  return Date.UTC(year, month - 1, day, hour - 9, minute, second, ms);
}

describe('nextSendableAt (정보통신망법 §50③: no ads 21:00-08:00 KST without night consent)', () => {
  it('lets daytime through, up to the last millisecond before 21:00', () => {
    assert.equal(nextSendableAt(kst(2026, 3, 10, 8, 0, 0)), undefined, '08:00:00 is sendable');
    assert.equal(nextSendableAt(kst(2026, 3, 10, 14, 30)), undefined);
    assert.equal(nextSendableAt(kst(2026, 3, 10, 20, 59, 59)), undefined, '20:59:59');
    assert.equal(nextSendableAt(kst(2026, 3, 10, 20, 59, 59, 999)), undefined);
  });

  it('defers from 21:00 to 08:00 the next day', () => {
    assert.equal(nextSendableAt(kst(2026, 3, 10, 21, 0, 0)), kst(2026, 3, 11, 8));
    assert.equal(nextSendableAt(kst(2026, 3, 10, 23, 59, 59)), kst(2026, 3, 11, 8));
  });

  it('defers from midnight to 08:00 the same day', () => {
    assert.equal(nextSendableAt(kst(2026, 3, 11, 0, 0, 0)), kst(2026, 3, 11, 8));
    assert.equal(nextSendableAt(kst(2026, 3, 11, 7, 59)), kst(2026, 3, 11, 8), '07:59');
    assert.equal(nextSendableAt(kst(2026, 3, 11, 7, 59, 59, 999)), kst(2026, 3, 11, 8));
  });

  it('works in KST, not UTC: 22:00 UTC is 07:00 KST of the next day', () => {
    const at = Date.UTC(2026, 2, 10, 22, 0);
    assert.equal(nextSendableAt(at), Date.UTC(2026, 2, 10, 23, 0), '08:00 KST = 23:00 UTC');
    assert.equal(nextSendableAt(Date.UTC(2026, 2, 10, 11, 59)), undefined, '20:59 KST');
    assert.equal(nextSendableAt(Date.UTC(2026, 2, 10, 12, 0)), Date.UTC(2026, 2, 10, 23, 0), '21:00 KST');
  });

  it('crosses month, year and leap-day boundaries', () => {
    assert.equal(nextSendableAt(kst(2026, 1, 31, 22)), kst(2026, 2, 1, 8), 'January to February');
    assert.equal(nextSendableAt(kst(2026, 4, 30, 21)), kst(2026, 5, 1, 8), '30-day month');
    assert.equal(nextSendableAt(kst(2026, 12, 31, 23, 30)), kst(2027, 1, 1, 8), 'New Year');
    assert.equal(nextSendableAt(kst(2028, 2, 28, 21)), kst(2028, 2, 29, 8), 'leap day');
    assert.equal(nextSendableAt(kst(2027, 2, 28, 21)), kst(2027, 3, 1, 8), 'no leap day');
    assert.equal(nextSendableAt(kst(2027, 1, 1, 3)), kst(2027, 1, 1, 8), 'New Year morning');
  });
});

describe('formatKst', () => {
  it('prints KST wall-clock time', () => {
    assert.equal(formatKst(kst(2027, 1, 1, 8)), '2027-01-01 08:00 KST');
    assert.equal(formatKst(Date.UTC(2026, 2, 10, 23, 0)), '2026-03-11 08:00 KST');
  });
});
