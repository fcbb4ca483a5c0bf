import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LocalVendorRate } from '../../../src/adapters/vendor-rate/local-vendor-rate.ts';
import { DEFAULT_REMOTE_CONFIG } from '../../../src/config/default-remote-config.ts';
import type { Envelope } from '../../../src/core/domain/message.ts';
import type { RemoteConfigDocument } from '../../../src/core/domain/remote-config.ts';
import { encodeEnvelope } from '../../../src/core/pipeline/envelope-codec.ts';
import { sendTopic } from '../../../src/core/pipeline/topics.ts';
import { HeraldMetrics } from '../../../src/observability/metrics.ts';
import type { Vendor } from '../../../src/ports/vendor.ts';
import { batchLaneWorker, smsEnvelope, useEmbeddedLane } from './lane-fixtures.ts';

const RATE = 50;
const MESSAGES = 150;
/**
 * 150 messages at 50/s: 50 at once (the burst), the other 100 over 2 s. The lane runs on real
 * time, so this is a lower bound only, with room for timer rounding; never an upper bound.
 */
const LEAST_ELAPSED_MS = 1_800;

/** An in-memory SMS vendor with a bulk side (calls of up to 100), recording what each call carried. */
function countingVendor() {
  const calls: number[] = [];
  const vendor: Vendor = {
    id: 'v',
    channels: ['sms'],
    async send(message) {
      calls.push(1);
      return { vendorMessageId: `v-${message.messageId}` };
    },
    bulk: {
      maxMessages: 100,
      groupKey: (message) => message.body,
      async sendMany(messages) {
        calls.push(messages.length);
        return messages.map((message) => ({ vendorMessageId: `v-${message.messageId}` }));
      },
    },
    close: async () => {},
  };
  return { vendor, calls };
}

describe('LaneWorker vendor rate (maxPerSecond)', () => {
  const lane = useEmbeddedLane(1);

  const config = (bulkVendorCalls: boolean): RemoteConfigDocument => ({
    ...DEFAULT_REMOTE_CONFIG,
    lanes: {
      ...DEFAULT_REMOTE_CONFIG.lanes,
      batch: { ...DEFAULT_REMOTE_CONFIG.lanes.batch, batchSize: 300, maxInFlight: 1_000, bulkVendorCalls },
    },
    routing: { ...DEFAULT_REMOTE_CONFIG.routing, sms: [{ vendor: 'v', weight: 1 }] },
    vendors: {
      ...DEFAULT_REMOTE_CONFIG.vendors,
      v: { timeoutMs: 5_000, breakerThreshold: 5, breakerHalfOpenAfterMs: 10_000, maxPerSecond: RATE },
    },
  });

  const produce = (envelopes: Envelope[]) =>
    lane.transport.produce(
      envelopes.map((e) => ({ topic: sendTopic('batch', 'sms'), key: e.key, value: encodeEnvelope(e) })),
    );
  const sent = () => lane.events.filter((e) => e.status === 'sent').length;

  async function until(condition: () => boolean, what: string) {
    const deadline = Date.now() + 20_000;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Starts a batch lane on `document`, produces the messages, and measures until all are sent. */
  async function floodAndTime(document: RemoteConfigDocument, vendor: Vendor) {
    const metrics = new HeraldMetrics();
    const worker = batchLaneWorker({
      ...lane,
      vendor,
      config: document,
      metrics,
      vendorRate: new LocalVendorRate(),
    });
    lane.workers.push(worker);
    void worker.start();
    const started = performance.now();
    await produce(
      Array.from({ length: MESSAGES }, (_, i) => smsEnvelope(i, { content: { body: '같은 안내' } })),
    );
    await until(() => sent() === MESSAGES, 'every message sent');
    return { elapsedMs: performance.now() - started, metrics };
  }

  it('sends one message a call no faster than the vendor takes, and measures the waits', async () => {
    const { vendor, calls } = countingVendor();
    const { elapsedMs, metrics } = await floodAndTime(config(false), vendor);
    assert.equal(calls.length, MESSAGES);
    assert.ok(
      elapsedMs >= LEAST_ELAPSED_MS,
      `${MESSAGES} at ${RATE}/s took only ${Math.round(elapsedMs)} ms`,
    );
    const waits = (await metrics.vendorRateWait.get()).values.find(
      (v) => v.metricName === 'herald_vendor_rate_wait_seconds_count',
    );
    assert.equal(waits?.value, MESSAGES, 'every paced call observed');
    assert.deepEqual(waits?.labels, { lane: 'batch', vendor: 'v' });
  });

  it('counts a bulk call as the messages it carries', async () => {
    const { vendor, calls } = countingVendor();
    const { elapsedMs } = await floodAndTime(config(true), vendor);
    assert.equal(
      calls.reduce((sum, size) => sum + size, 0),
      MESSAGES,
    );
    assert.ok(calls.length < MESSAGES, `bulk calls were made (${calls.join(', ')})`);
    assert.ok(
      elapsedMs >= LEAST_ELAPSED_MS,
      `${MESSAGES} at ${RATE}/s took only ${Math.round(elapsedMs)} ms`,
    );
  });

  it('leaves a vendor without maxPerSecond unpaced', async () => {
    const { vendor } = countingVendor();
    const document = config(false);
    const { maxPerSecond: _, ...unlimited } = document.vendors.v!;
    const { metrics } = await floodAndTime(
      { ...document, vendors: { ...document.vendors, v: unlimited } },
      vendor,
    );
    // Counted, not timed: no call waited for a rate, so none was observed.
    const observed = (await metrics.vendorRateWait.get()).values.filter((v) => v.value > 0);
    assert.deepEqual(observed, []);
  });
});
