import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LaneVendors } from '../../src/app/lane-vendors.ts';
import type { OutboundMessage } from '../../src/core/domain/message.ts';
import type { Vendor } from '../../src/ports/vendor.ts';

/** A vendor whose calls finish when the test says so, and that records its close. */
function heldVendor(id: string, name: string) {
  const releases: (() => void)[] = [];
  const state = { closed: false, calls: 0 };
  const vendor: Vendor = {
    id,
    channels: ['sms'],
    async send() {
      state.calls += 1;
      await new Promise<void>((resolve) => releases.push(resolve));
      return { vendorMessageId: `${name}-${state.calls}` };
    },
    async close() {
      state.closed = true;
    },
  };
  const releaseAll = () => {
    for (const release of releases.splice(0)) release();
  };
  return { vendor, state, releaseAll };
}

const message = {} as OutboundMessage;
const signal = new AbortController().signal;
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('LaneVendors', () => {
  it('sends new calls to a replacement at once and closes the old adapter after its calls finish', async () => {
    const lane = new LaneVendors();
    const old = heldVendor('v', 'old');
    const next = heldVendor('v', 'new');
    lane.put(old.vendor);
    const inFlight = lane.get('v')!.send(message, signal);
    lane.put(next.vendor);
    const afterSwap = lane.get('v')!.send(message, signal);
    await tick();
    assert.deepEqual([old.state.calls, next.state.calls], [1, 1]);
    assert.equal(old.state.closed, false, 'not closed under a call');
    old.releaseAll();
    assert.equal((await inFlight).vendorMessageId, 'old-1');
    await tick();
    assert.equal(old.state.closed, true);
    next.releaseAll();
    assert.equal((await afterSwap).vendorMessageId, 'new-1');
    assert.equal(next.state.closed, false);
  });

  it('retires a removed vendor the same way, and closes everything on close', async () => {
    const lane = new LaneVendors();
    const a = heldVendor('a', 'a');
    const b = heldVendor('b', 'b');
    lane.put(a.vendor);
    lane.put(b.vendor);
    const call = lane.get('a')!.send(message, signal);
    lane.remove('a');
    assert.equal(lane.get('a'), undefined);
    assert.deepEqual(lane.ids(), ['b']);
    await tick();
    assert.equal(a.state.closed, false);
    const closing = lane.close();
    a.releaseAll();
    await call;
    await closing;
    assert.deepEqual([a.state.closed, b.state.closed], [true, true]);
  });

  it('keeps what the router reads of a vendor: id, channels and push provider', () => {
    const lane = new LaneVendors();
    lane.put({ ...heldVendor('fcm', 'x').vendor, channels: ['push'], pushProvider: 'fcm' });
    const vendor = lane.get('fcm')!;
    assert.deepEqual([vendor.id, vendor.channels, vendor.pushProvider], ['fcm', ['push'], 'fcm']);
  });

  it('passes on the look-up, template API and MMS limits, a look-up counted as a call in flight', async () => {
    const lane = new LaneVendors();
    const templates = { list: async () => [], submit: async () => {} };
    let answer: (() => void) | undefined;
    const held = heldVendor('nhn-alimtalk', 'x');
    lane.put({
      ...held.vendor,
      templates,
      mmsLimits: { maxImages: 1, maxImageBytes: 10 },
      checkDelivery: () =>
        new Promise((resolve) => {
          answer = () => resolve({ state: 'pending' });
        }),
    });
    const vendor = lane.get('nhn-alimtalk')!;
    assert.equal(vendor.templates, templates);
    assert.deepEqual(vendor.mmsLimits, { maxImages: 1, maxImageBytes: 10 });
    const check = vendor.checkDelivery!('r:1', signal);
    lane.put(heldVendor('nhn-alimtalk', 'y').vendor);
    await tick();
    assert.equal(held.state.closed, false, 'not closed while its look-up runs');
    answer!();
    assert.deepEqual(await check, { state: 'pending' });
    await tick();
    await tick();
    assert.equal(held.state.closed, true);
  });
  it("keeps the adapter's receipt look-up (a lane without it never learned a text message's result)", async () => {
    const lane = new LaneVendors();
    const asked: string[][] = [];
    lane.put({
      id: 'r',
      channels: ['sms'],
      send: async () => ({ vendorMessageId: 'r-1' }),
      receipts: {
        maxIdsPerCall: 100,
        callsPerSecond: 10,
        deliveryTimeoutMs: (channel) => (channel === 'sms' ? 1_000 : 2_000),
        lookUp: async (queries) => {
          asked.push(queries.map(({ vendorMessageId }) => vendorMessageId));
          return new Map([
            ['r-1', { state: 'delivered' as const, at: 1, code: '1000', carrier: 'SKT' as const }],
          ]);
        },
      },
      close: async () => {},
    });
    const receipts = lane.get('r')!.receipts!;
    assert.equal(receipts.maxIdsPerCall, 100);
    assert.equal(receipts.callsPerSecond, 10);
    assert.equal(receipts.deliveryTimeoutMs('lms'), 2_000);
    const answer = await receipts.lookUp([{ vendorMessageId: 'r-1', sentAt: 0 }], (request) =>
      request(signal),
    );
    assert.deepEqual(asked, [['r-1']]);
    assert.equal(answer.get('r-1')?.state, 'delivered');
  });
});
