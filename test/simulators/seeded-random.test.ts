import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSeededRandom, sampleStandardNormal } from '../../src/simulators/seeded-random.ts';

function draw(random: () => number, count: number): number[] {
  return Array.from({ length: count }, () => random());
}

describe('createSeededRandom', () => {
  it('repeats the same sequence for the same seed', () => {
    assert.deepEqual(draw(createSeededRandom(42), 100), draw(createSeededRandom(42), 100));
  });

  it('gives another sequence for another seed', () => {
    assert.notDeepEqual(draw(createSeededRandom(1), 10), draw(createSeededRandom(2), 10));
  });

  it('stays in [0, 1) and is roughly uniform', () => {
    const values = draw(createSeededRandom(7), 20_000);
    assert.ok(values.every((value) => value >= 0 && value < 1));
    const lowerHalf = values.filter((value) => value < 0.5).length / values.length;
    assert.ok(Math.abs(lowerHalf - 0.5) < 0.02, `share below 0.5 was ${lowerHalf}`);
  });
});

describe('sampleStandardNormal', () => {
  it('has mean 0 and standard deviation 1', () => {
    const random = createSeededRandom(3);
    const samples = Array.from({ length: 20_000 }, () => sampleStandardNormal(random));
    const mean = samples.reduce((sum, value) => sum + value, 0) / samples.length;
    const variance = samples.reduce((sum, value) => sum + (value - mean) ** 2, 0) / samples.length;
    assert.ok(Math.abs(mean) < 0.05, `mean was ${mean}`);
    assert.ok(Math.abs(Math.sqrt(variance) - 1) < 0.05, `sd was ${Math.sqrt(variance)}`);
  });

  it('stays finite when the source returns exactly 0', () => {
    assert.ok(Number.isFinite(sampleStandardNormal(() => 0)));
  });
});
