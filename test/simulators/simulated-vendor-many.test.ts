import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  applyBehaviourPatch,
  type BehaviourPatch,
  defaultBehaviourFor,
} from '../../src/simulators/behaviour.ts';
import { ReceiveCounter } from '../../src/simulators/receive-counter.ts';
import { createSeededRandom } from '../../src/simulators/seeded-random.ts';
import { SimulatedVendor } from '../../src/simulators/simulated-vendor.ts';

const VENDOR = 'nhn-sms';
const neverShutDown = new AbortController().signal;
const SERVER_ERROR = { status: 503, code: '-9999', weight: 1 };
const REFUSAL = { status: 400, code: '-2019', weight: 1 };

function makeVendor(patch: BehaviourPatch = {}, now?: () => number) {
  const counter = new ReceiveCounter([VENDOR]);
  const vendor = new SimulatedVendor({
    id: VENDOR,
    behaviour: applyBehaviourPatch(VENDOR, defaultBehaviourFor(VENDOR), patch),
    random: createSeededRandom(7),
    counter,
    ...(now ? { now } : {}),
  });
  return { vendor, counter };
}

const sends = (n: number, prefix = 'm') =>
  Array.from({ length: n }, (_, i) => ({ messageId: `${prefix}${i}`, idempotencyKey: undefined }));

const delivered = (counter: ReceiveCounter, n: number, prefix = 'm') =>
  Array.from({ length: n }, (_, i) => counter.countFor(VENDOR, `${prefix}${i}`));

/** A bulk call (SimulatedVendor.handleMany): one call's fate, then each recipient's own. */
describe('SimulatedVendor bulk calls', () => {
  it('delivers every recipient of an answered call once, and counts one call', async () => {
    const { vendor, counter } = makeVendor();
    const outcome = await vendor.handleMany(sends(50), neverShutDown);
    assert.equal(outcome.kind, 'answered');
    assert.deepEqual(delivered(counter, 50), Array(50).fill(1));
    assert.equal(counter.stats().vendors[VENDOR]!.calls, 1);
  });

  it('fails a call whole on a 5xx and delivers none of it, so its retry duplicates nothing', async () => {
    const { vendor, counter } = makeVendor({ errorShare: 1, errors: [SERVER_ERROR] });
    const outcome = await vendor.handleMany(sends(20), neverShutDown);
    assert.equal(outcome.kind, 'failed');
    assert.deepEqual(delivered(counter, 20), Array(20).fill(0));
  });

  it('refuses recipients one by one with the 4xx share, and delivers the rest', async () => {
    const { vendor, counter } = makeVendor({ errorShare: 0.3, errors: [REFUSAL] });
    const outcome = await vendor.handleMany(sends(1_000), neverShutDown);
    assert.equal(outcome.kind, 'answered');
    if (outcome.kind !== 'answered') return;
    const refused = outcome.outcomes.filter((o) => o.kind === 'failed').length;
    assert.ok(refused > 200 && refused < 400, `${refused} of 1,000 refused at a 30% share`);
    const counts = delivered(counter, 1_000);
    assert.deepEqual(
      counts,
      outcome.outcomes.map((o) => (o.kind === 'accepted' ? 1 : 0)),
    );
  });

  it('delivers nobody of a call with a refused recipient when the vendor takes calls whole (SENS)', async () => {
    const { vendor, counter } = makeVendor({ errorShare: 0.3, errors: [REFUSAL] });
    const outcome = await vendor.handleMany(sends(100), neverShutDown, { wholeCallOrNothing: true });
    assert.equal(outcome.kind, 'failed');
    assert.deepEqual(delivered(counter, 100), Array(100).fill(0));
  });

  it('takes a token per recipient: a call over the burst runs the bucket into debt', async () => {
    let clock = 0;
    const { vendor, counter } = makeVendor({ rateLimitPerSecond: 100 }, () => clock);
    assert.equal((await vendor.handleMany(sends(250, 'a'), neverShutDown)).kind, 'answered');
    const throttled = await vendor.handleMany(sends(10, 'b'), neverShutDown);
    assert.equal(throttled.kind, 'rate-limited');
    if (throttled.kind === 'rate-limited')
      assert.ok(throttled.retryAfterMs > 1_000, `${throttled.retryAfterMs}`);
    clock += 2_700; // the 150 recipients of debt and 10 more, at 100 a second
    assert.equal((await vendor.handleMany(sends(10, 'b'), neverShutDown)).kind, 'answered');
    assert.deepEqual(delivered(counter, 10, 'b'), Array(10).fill(1));
  });

  it('hangs a call as one and delivers none of it', async () => {
    const { vendor, counter } = makeVendor({ hangShare: 1 });
    assert.equal((await vendor.handleMany(sends(5), neverShutDown)).kind, 'hang');
    assert.deepEqual(delivered(counter, 5), Array(5).fill(0));
  });
});
