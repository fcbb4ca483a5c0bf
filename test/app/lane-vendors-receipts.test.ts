import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LaneVendors } from '../../src/app/lane-vendors.ts';
import type { DeliveryCheck, Vendor } from '../../src/ports/vendor.ts';

/**
 * The lane reads a vendor's receipt look-up through LaneVendors: an adapter's `receipts` must
 * come through the wrapper (it once did not, and no SMS was ever receipted by polling), and a
 * look-up in progress keeps a replaced adapter open like a send does.
 */
describe('LaneVendors: receipt look-ups', () => {
  it('passes the look-up through, and closes a replaced adapter only after its look-up ends', async () => {
    let release: () => void = () => {};
    let closed = false;
    const vendor: Vendor = {
      id: 'v',
      channels: ['sms'],
      send: async () => ({ vendorMessageId: 'x' }),
      receipts: {
        maxIdsPerCall: 7,
        callsPerSecond: 3,
        deliveryTimeoutMs: (channel) => (channel === 'sms' ? 1 : 2),
        lookUp: (queries, call) =>
          call(async () => {
            await new Promise<void>((resolve) => {
              release = resolve;
            });
            return new Map<string, DeliveryCheck>(
              queries.map(({ vendorMessageId }) => [vendorMessageId, { state: 'pending' }]),
            );
          }),
      },
      close: async () => {
        closed = true;
      },
    };
    const lane = new LaneVendors();
    lane.put(vendor);
    const receipts = lane.get('v')!.receipts!;
    assert.deepEqual(
      [receipts.maxIdsPerCall, receipts.callsPerSecond, receipts.deliveryTimeoutMs('lms')],
      [7, 3, 2],
    );
    const signal = new AbortController().signal;
    const lookUp = receipts.lookUp([{ vendorMessageId: 'a', sentAt: 0 }], (request) => request(signal));
    lane.put({ ...vendor, close: async () => {} });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(closed, false, 'not closed under a look-up');
    release();
    assert.deepEqual([...(await lookUp).keys()], ['a']);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(closed, true);
  });
});
