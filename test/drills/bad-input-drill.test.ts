import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runBadInputDrill } from '../../drills/bad-input.ts';
import { formatVerdict } from '../../drills/support/verdict.ts';

/** The bad-input drill of `npm run drill`, 1,000 generated requests on the embedded default. */
describe('drill: generated bad input (quick)', () => {
  it('answers every request below 500, each 4xx with a catalogued code, and stays up', async () => {
    const verdict = await runBadInputDrill({ requests: 1_000, log: () => {} });
    process.stdout.write(`# ${formatVerdict(verdict)}\n`);
    assert.deepEqual(verdict.broken, []);
  });
});
