import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runKillDrill } from '../../drills/kill.ts';
import { formatVerdict } from '../../drills/support/verdict.ts';
import { productionEnginesSkip } from '../support/engines.ts';

const skip = await productionEnginesSkip();

/** The kill drill of `npm run drill`, quick: the same function, asserted on outcomes, never on time. */
describe('drill: SIGKILL of one of two workers, then of the history writer, mid-flood (quick)', {
  skip,
}, () => {
  it('loses nothing; duplicates only for messages in flight at the kill (no vendor takes an SMS idempotency key); AlimTalk falls back once; every receipt applied once, every status change called back; history complete, no event applied twice', async () => {
    const verdict = await runKillDrill({ messages: 2_000, outageMs: 0, log: () => {} });
    process.stdout.write(`# ${formatVerdict(verdict)}\n`);
    const figures = verdict.figures!;
    assert.equal(verdict.accepted, 2_000);
    assert.equal(verdict.lost, 0);
    assert.ok(figures.pushSent! > 0, 'the flood carried push through the FCM and APNs adapters');
    // DESIGN.md: only messages in flight at the kill may reach a vendor twice. In flight = the
    // messages of the victim's calls open at the kill, plus those answered whose outcome it had not
    // yet made durable (their dedup key still only reserved in Redis right after the kill):
    // drills/kill.ts. NHN, SENS and SOLAPI take no idempotency key for SMS or AlimTalk, nor do FCM
    // and APNs for push, so such a message may reach its recipient twice; no other may.
    assert.ok(
      figures.textEndUserDuplicates! <= figures.textInFlightAtKill!,
      `${figures.textEndUserDuplicates} SMS/AlimTalk/fallback duplicates > ${figures.textInFlightAtKill} in flight at the kill`,
    );
    assert.ok(
      figures.pushDuplicates! <= figures.pushInFlightAtKill!,
      `${figures.pushDuplicates} push duplicates > ${figures.pushInFlightAtKill} in flight at the kill`,
    );
    // Every AlimTalk ends delivered, or undelivered with its one fallback SMS sent.
    assert.ok(figures.alimtalkUndelivered! > 0, 'some AlimTalk fell back to SMS');
    assert.equal(figures.alimtalkUnfinished, 0);
    assert.equal(figures.alimtalkDelivered! + figures.alimtalkUndelivered!, figures.alimtalkMessages);
    assert.equal(figures.fallbacksSent, figures.alimtalkUndelivered);
    assert.equal(figures.fallbacksLost, 0);
    assert.equal(figures.strayFallbacks, 0);
    // Issue 11: receipts and status callbacks flow through the kill (the retry worker is killed too).
    assert.ok(figures.receiptsAtKill! > 0, 'receipts were being reported when the kill came');
    assert.ok(figures.receiptsUndelivered! > 0, 'some text messages were not delivered');
    assert.equal(figures.receiptsStillSent, 0);
    // History never has a receipt the simulators did not report; the simulators may have one more
    // per text message sent twice (its first send's look-up; the message took the resend's id).
    assert.equal(figures.receiptsHistoryAhead, 0);
    assert.ok(figures.receiptsTallyAhead! <= figures.textEndUserDuplicates!);
    assert.equal(figures.receiptsAppliedTwice, 0);
    assert.equal(figures.callbacksMissing, 0);
    assert.equal(figures.callbackBadSignatures, 0);
    // Issue 12: history is the history writer's projection, and it was SIGKILLed too: every
    // message final in history, one vendor-accepted message per message the simulators received,
    // and no event applied twice (the stretch in progress at the kill was read again).
    assert.ok(figures.historyWriterKilledAt! > 0, 'the history writer was killed mid-flood');
    assert.equal(figures.historyUnfinished, 0);
    assert.equal(figures.historyVendorAccepted, verdict.sent);
    assert.equal(figures.historyEventsAppliedTwice, 0);
    assert.deepEqual(verdict.broken, []);
  });
});
