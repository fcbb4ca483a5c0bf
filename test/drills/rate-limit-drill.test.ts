import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runRateLimitDrill } from '../../drills/rate-limit.ts';
import { formatVerdict, type Verdict } from '../../drills/support/verdict.ts';
import { productionEnginesSkip } from '../support/engines.ts';

const productionSkip = await productionEnginesSkip();

/** Statuses and counts only: the latency ratio in the line is reported, never asserted. */
function assertIsolation(verdict: Verdict): void {
  process.stdout.write(`# ${formatVerdict(verdict)}\n`);
  assert.deepEqual(verdict.broken, []);
  assert.ok((verdict.figures?.flooderLimited ?? 0) > 0, 'the flooder got 429s');
  assert.equal(verdict.figures?.quietRefused, 0, "the quiet client's requests were all accepted");
  assert.ok((verdict.figures?.quietRequests ?? 0) > 0);
  assert.equal(verdict.lost, 0);
}

/** The rate-limit drill of `npm run drill`, quick: a flooding client and a quiet one. */
describe('drill: one client floods, another keeps being accepted (quick)', () => {
  it('on the embedded default (counters in memory)', async () => {
    assertIsolation(
      await runRateLimitDrill({ messages: 0, outageMs: 4_000, log: () => {}, engines: 'embedded' }),
    );
  });

  it('on the production engines (counters in Redis)', { skip: productionSkip }, async () => {
    assertIsolation(await runRateLimitDrill({ messages: 0, outageMs: 4_000, log: () => {} }));
  });
});
