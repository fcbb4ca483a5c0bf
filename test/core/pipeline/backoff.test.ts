import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextAttemptDelay } from '../../../src/core/pipeline/backoff.ts';

const settings = { baseDelayMs: 1000, maxDelayMs: 60_000, maxAttempts: 8 };

describe('nextAttemptDelay', () => {
  it('grows exponentially within [cap/2, cap]', () => {
    for (const [attempt, cap] of [
      [1, 1000],
      [2, 2000],
      [3, 4000],
      [7, 60_000],
    ] as const) {
      assert.equal(
        nextAttemptDelay(attempt, settings, undefined, () => 0),
        cap / 2,
      );
      assert.equal(
        nextAttemptDelay(attempt, settings, undefined, () => 0.999999),
        cap,
      );
    }
  });

  it('never retries sooner than the vendor Retry-After', () => {
    assert.equal(
      nextAttemptDelay(1, settings, 30_000, () => 0.5),
      30_000,
    );
  });
});
