import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LocalVendorRate } from '../../../src/adapters/vendor-rate/local-vendor-rate.ts';
import { describeVendorRateContract } from '../../contracts/vendor-rate.contract.ts';

describe('LocalVendorRate', () => {
  // One process: its lanes share the one instance, which is the peer of itself.
  describeVendorRateContract('local', async () => {
    const rate = new LocalVendorRate();
    return { store: rate, peer: rate, cleanup: () => rate.close() };
  });

  /** A clock that only moves when a caller waits: the time a number of sends needs, counted exactly. */
  function steppedRate() {
    const clock = { ms: 0 };
    const rate = new LocalVendorRate({
      now: () => clock.ms,
      wait: async (ms) => {
        clock.ms += ms;
      },
    });
    return { rate, clock };
  }
  const never = new AbortController().signal;

  it('sends 200 messages at 50/s in the time the rate allows past its one-second burst', async () => {
    const { rate, clock } = steppedRate();
    await Promise.all(Array.from({ length: 200 }, () => rate.acquire('sms', 1, 50, never)));
    // 50 at once, then 150 at 50/s: 3 s, give or take the rounding of each wait up to whole ms.
    assert.ok(clock.ms >= 3_000 && clock.ms <= 3_000 + 150, `${clock.ms} ms`);
  });

  it('counts a bulk call as its messages, in the order callers came', async () => {
    const { rate, clock } = steppedRate();
    const order: string[] = [];
    await Promise.all([
      rate.acquire('sms', 120, 50, never).then(() => order.push(`bulk at ${clock.ms}`)),
      rate.acquire('sms', 1, 50, never).then(() => order.push(`single at ${clock.ms}`)),
    ]);
    // The bulk call goes on a full bucket (50) and leaves a debt of 70: the single waits 71 tokens.
    assert.deepEqual(order, ['bulk at 0', 'single at 1420']);
  });

  it('starts a bucket afresh at a new rate (a remote config change)', async () => {
    const { rate, clock } = steppedRate();
    await rate.acquire('sms', 10, 10, never);
    await rate.acquire('sms', 100, 100, never);
    assert.equal(clock.ms, 0, 'the new rate brought its own full burst');
  });
});
