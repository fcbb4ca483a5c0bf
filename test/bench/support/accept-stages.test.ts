import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type StageBuckets, stagePercentiles } from '../../../bench/support/accept-stages.ts';

/** Cumulative buckets of one stage, as prom-client exposes them (le in seconds). */
function stage(counts: readonly [number, number][]): Map<number, number> {
  return new Map(counts);
}

describe('accept stages from two /metrics readings', () => {
  it("counts only what happened between the readings, and names each p99's bucket bound", () => {
    const before: StageBuckets = new Map([
      [
        'queue',
        stage([
          [0.01, 50],
          [0.1, 50],
          [1, 50],
          [Number.POSITIVE_INFINITY, 50],
        ]),
      ],
    ]);
    const after: StageBuckets = new Map([
      // 100 more: 60 within 10 ms, 39 within 100 ms, 1 within 1 s.
      [
        'queue',
        stage([
          [0.01, 110],
          [0.1, 149],
          [1, 150],
          [Number.POSITIVE_INFINITY, 150],
        ]),
      ],
      [
        'checks',
        stage([
          [0.01, 0],
          [0.1, 0],
          [1, 0],
          [Number.POSITIVE_INFINITY, 0],
        ]),
      ],
    ]);
    assert.deepEqual(stagePercentiles(before, after), { queue: { count: 100, p50Ms: 10, p99Ms: 100 } });
  });
});
