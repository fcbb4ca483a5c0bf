import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runRedisDrill } from '../../drills/redis.ts';
import { formatVerdict } from '../../drills/support/verdict.ts';
import { engineSkip } from '../support/engines.ts';

const skip = (await engineSkip('kafka')) || (await engineSkip('postgres'));

/** The Redis drill of `npm run drill`, quick: a private Redis stopped mid-flood and restarted. */
describe('drill: Redis stopped mid-flood (quick)', { skip }, () => {
  it('keeps sending (fail-open, counted), loses nothing, and dedups again once Redis is back', async () => {
    const verdict = await runRedisDrill({ messages: 1_000, outageMs: 4_000, log: () => {} });
    process.stdout.write(`# ${formatVerdict(verdict)}\n`);
    assert.equal(verdict.lost, 0);
    assert.equal(verdict.endUserDuplicates, 0);
    assert.deepEqual(verdict.broken, []);
  });
});
