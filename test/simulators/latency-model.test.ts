import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LatencyDistribution } from '../../src/simulators/behaviour.ts';
import { sampleLatencyMs } from '../../src/simulators/latency-model.ts';
import { createSeededRandom } from '../../src/simulators/seeded-random.ts';

function samples(latency: LatencyDistribution, count = 10_000, seed = 11): number[] {
  const random = createSeededRandom(seed);
  return Array.from({ length: count }, () => sampleLatencyMs(latency, random)).sort((a, b) => a - b);
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

describe('sampleLatencyMs', () => {
  it('fits the log-normal body to the median and the p99', () => {
    const sorted = samples({ medianMs: 50, p99Ms: 200, outlierShare: 0, outlierMs: 5_000 });
    const median = percentile(sorted, 0.5);
    const p99 = percentile(sorted, 0.99);
    assert.ok(Math.abs(median - 50) / 50 < 0.1, `median was ${median}`);
    assert.ok(Math.abs(p99 - 200) / 200 < 0.15, `p99 was ${p99}`);
    assert.ok(sorted[0]! > 0, 'a log-normal latency is never zero or negative');
  });

  it('adds the outlier delay to about outlierShare of the calls', () => {
    const sorted = samples({ medianMs: 20, p99Ms: 60, outlierShare: 0.02, outlierMs: 3_000 }, 20_000);
    const outliers = sorted.filter((value) => value === 3_000).length / sorted.length;
    assert.ok(Math.abs(outliers - 0.02) < 0.004, `outlier share was ${outliers}`);
    assert.ok(Math.abs(percentile(sorted, 0.5) - 20) / 20 < 0.1);
  });

  it('answers at once for a median of 0', () => {
    assert.deepEqual(
      new Set(samples({ medianMs: 0, p99Ms: 0, outlierShare: 0, outlierMs: 5_000 }, 100)),
      new Set([0]),
    );
  });

  it('is constant when the p99 equals the median', () => {
    assert.deepEqual(
      new Set(samples({ medianMs: 50, p99Ms: 50, outlierShare: 0, outlierMs: 5_000 }, 100)),
      new Set([50]),
    );
  });
});
