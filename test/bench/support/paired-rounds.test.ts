import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { medianRound, pairedRounds } from '../../../bench/support/paired-rounds.ts';

describe('paired rounds', () => {
  it('alternates which side runs first and reports the median round', async () => {
    const order: string[] = [];
    const subjectRates = [100, 300, 200];
    const result = await pairedRounds(3, {
      subject: async (round) => {
        order.push(`s${round}`);
        return { perSecond: subjectRates[round]!, round };
      },
      baseline: async (round) => {
        order.push(`b${round}`);
        return { perSecond: 400 };
      },
    });
    assert.deepEqual(order, ['s0', 'b0', 'b1', 's1', 's2', 'b2']);
    assert.deepEqual(
      result.rounds.map((r) => r.ratio),
      [0.25, 0.75, 0.5],
    );
    assert.equal(result.median.ratio, 0.5);
    assert.equal(result.median.subject.round, 2);
  });

  it('takes the lower middle round of an even count, and refuses none', async () => {
    const round = (ratio: number) => ({ subject: { perSecond: ratio }, baseline: { perSecond: 1 }, ratio });
    assert.equal(medianRound([round(0.6), round(0.4), round(0.5), round(0.3)]).ratio, 0.4);
    await assert.rejects(
      pairedRounds(0, { subject: async () => ({ perSecond: 1 }), baseline: async () => ({ perSecond: 1 }) }),
      /at least one round/,
    );
  });
});
