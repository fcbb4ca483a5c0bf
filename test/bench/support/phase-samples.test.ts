import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type PhasedSample, phaseSamples } from '../../../bench/support/phase-samples.ts';

const FLOOD_START = 10_000;

function sample(messageId: string, phase: PhasedSample['phase'], acceptedAt: number): PhasedSample {
  return { messageId, phase, acceptedAt };
}

describe("lane isolation's phases", () => {
  const samples = [
    sample('idle-early', 'idle', 1_000),
    sample('idle-lost', 'idle', 2_000),
    sample('idle-caught-by-the-flood', 'idle', 9_990),
    sample('flood-1', 'flood', 10_500),
  ];
  const received = new Map([
    ['idle-early', 1_005],
    ['idle-caught-by-the-flood', 10_200],
    ['flood-1', 10_560],
  ]);

  it('an idle message the vendor got after the flood began counts in neither phase', () => {
    const idle = phaseSamples(samples, 'idle', received, FLOOD_START);
    assert.deepEqual(idle.latencies, [5]);
    assert.equal(idle.straddling, 1);
    assert.deepEqual(
      idle.counted.map((s) => s.messageId),
      ['idle-early', 'idle-lost'],
    );
    const flood = phaseSamples(samples, 'flood', received);
    assert.deepEqual(flood.latencies, [60]);
    assert.equal(flood.straddling, 0);
  });

  it('a message never received is lost, not straddling, whenever it was sent', () => {
    const idle = phaseSamples(samples, 'idle', received, FLOOD_START);
    assert.equal(idle.lost, 1);
  });

  it('without an end, every sample of the phase counts', () => {
    const idle = phaseSamples(samples, 'idle', received);
    assert.deepEqual(idle.latencies, [5, 210]);
    assert.equal(idle.straddling, 0);
  });
});
