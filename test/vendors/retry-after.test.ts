import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRetryAfterMs } from '../../src/vendors/retry-after.ts';

describe('parseRetryAfterMs', () => {
  const now = Date.parse('2026-03-01T00:00:00Z');

  it('reads whole seconds', () => {
    assert.equal(parseRetryAfterMs('120', now), 120_000);
    assert.equal(parseRetryAfterMs(' 0 ', now), 0);
  });

  it('reads an HTTP date as the time left until it', () => {
    assert.equal(parseRetryAfterMs('Sun, 01 Mar 2026 00:00:30 GMT', now), 30_000);
  });

  it('gives 0 for a date already past', () => {
    assert.equal(parseRetryAfterMs('Sat, 28 Feb 2026 23:00:00 GMT', now), 0);
  });

  it('takes the first of repeated headers', () => {
    assert.equal(parseRetryAfterMs(['3', '9'], now), 3_000);
  });

  it('gives undefined when absent or malformed', () => {
    for (const value of [undefined, '', 'soon', '-5', '1.5']) {
      assert.equal(parseRetryAfterMs(value, now), undefined, `for ${String(value)}`);
    }
  });
});
