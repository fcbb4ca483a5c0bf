import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runKillDrill } from '../../drills/kill.ts';
import { formatVerdict } from '../../drills/support/verdict.ts';
import { productionEnginesSkip } from '../support/engines.ts';

const skip = await productionEnginesSkip();

/** The kill drill of `npm run drill`, quick: the same function, asserted on outcomes, never on time. */
describe('drill: SIGKILL of one of two workers mid-flood (quick)', { skip }, () => {
  it("loses nothing; vendor duplicates bounded by the victim's in-flight limit; no end-user duplicate", async () => {
    const verdict = await runKillDrill({ messages: 2_000, outageMs: 0, log: () => {} });
    process.stdout.write(`# ${formatVerdict(verdict)}\n`);
    assert.equal(verdict.accepted, 2_000);
    assert.equal(verdict.lost, 0);
    assert.equal(verdict.endUserDuplicates, 0);
    // Bounded by what the victim could hold unfinished or uncommitted: the drill sets the batch
    // lane's maxInFlight to 300 (drills/kill.ts). DESIGN.md's stricter bound (only calls open at
    // the kill) does not hold today: the survivor re-calls work the victim had finished but not yet
    // committed, and under load a timed-out call's retry may reach a vendor that already had it;
    // `npm run drill -- --only kill` reports the strict bound as FAIL. Every such repeat is absorbed
    // by the vendor's idempotency key, which endUserDuplicates = 0 above proves.
    assert.ok(
      verdict.vendorDuplicates <= 300,
      `${verdict.vendorDuplicates} vendor duplicates (the victim made ${verdict.figures!.victimCalls} calls)`,
    );
  });
});
