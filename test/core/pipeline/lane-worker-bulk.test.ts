import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_REMOTE_CONFIG } from '../../../src/config/default-remote-config.ts';
import { HeraldError } from '../../../src/core/domain/errors.ts';
import type { Envelope, OutboundMessage } from '../../../src/core/domain/message.ts';
import type { RemoteConfigDocument } from '../../../src/core/domain/remote-config.ts';
import { encodeEnvelope } from '../../../src/core/pipeline/envelope-codec.ts';
import { sendTopic } from '../../../src/core/pipeline/topics.ts';
import { HeraldMetrics } from '../../../src/observability/metrics.ts';
import type { BulkSendResult, Vendor } from '../../../src/ports/vendor.ts';
import { batchLaneWorker, smsEnvelope, useEmbeddedLane } from './lane-fixtures.ts';

/** A number the in-memory vendor refuses, as a real one refuses a malformed recipient. */
const BAD_NUMBER = '12';

/**
 * An in-memory vendor with a bulk side: groups by body, records every call's size, refuses
 * BAD_NUMBER per message, or (wholeCall) refuses a call holding it as a whole, as SENS does.
 */
function bulkVendor(options: { maxMessages: number; wholeCall?: boolean; outage?: boolean }) {
  const calls: number[] = [];
  const refusal = (message: OutboundMessage) =>
    new HeraldError('HERALD_VENDOR_REJECTED', `refused ${message.to}`, { vendorCode: 'BAD_TO' });
  const vendor: Vendor = {
    id: 'v',
    channels: ['sms'],
    async send(message) {
      calls.push(1);
      if (message.to === BAD_NUMBER) throw refusal(message);
      return { vendorMessageId: `v-${message.messageId}` };
    },
    bulk: {
      maxMessages: options.maxMessages,
      groupKey: (message) => message.body,
      async sendMany(messages) {
        calls.push(messages.length);
        if (options.outage) {
          throw new HeraldError('HERALD_VENDOR_UNAVAILABLE', 'down', { retryable: true, vendorFault: true });
        }
        const bad = messages.find((message) => message.to === BAD_NUMBER);
        if (options.wholeCall && bad) throw refusal(bad);
        return messages.map(
          (message): BulkSendResult =>
            message.to === BAD_NUMBER ? refusal(message) : { vendorMessageId: `v-${message.messageId}` },
        );
      },
    },
    close: async () => {},
  };
  return { vendor, calls };
}

describe('LaneWorker bulk vendor calls (batch and ad lanes)', () => {
  const lane = useEmbeddedLane(1);

  const config = (bulkVendorCalls: boolean): RemoteConfigDocument => ({
    ...DEFAULT_REMOTE_CONFIG,
    lanes: {
      ...DEFAULT_REMOTE_CONFIG.lanes,
      batch: { ...DEFAULT_REMOTE_CONFIG.lanes.batch, batchSize: 300, maxInFlight: 1_000, bulkVendorCalls },
    },
    routing: { ...DEFAULT_REMOTE_CONFIG.routing, sms: [{ vendor: 'v', weight: 1 }] },
  });

  function start(vendor: Vendor, document: RemoteConfigDocument) {
    const metrics = new HeraldMetrics();
    const worker = batchLaneWorker({ ...lane, vendor, config: document, metrics });
    lane.workers.push(worker);
    void worker.start();
    return metrics;
  }

  const produce = (envelopes: Envelope[]) =>
    lane.transport.produce(
      envelopes.map((e) => ({ topic: sendTopic('batch', 'sms'), key: e.key, value: encodeEnvelope(e) })),
    );

  /** `count` messages of one content; `bad` of them (by index) to a number the vendor refuses. */
  const sameContent = (count: number, bad: readonly number[] = []) =>
    Array.from({ length: count }, (_, i) =>
      smsEnvelope(i, { content: { body: '같은 안내' }, ...(bad.includes(i) ? { to: BAD_NUMBER } : {}) }),
    );

  const final = (status: string) => lane.events.filter((e) => e.status === status).map((e) => e.messageId);

  async function until(condition: () => boolean, what: string) {
    const deadline = Date.now() + 15_000;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  it('sends messages of one content in calls of up to maxMessages, each message its own outcome', async () => {
    const { vendor, calls } = bulkVendor({ maxMessages: 100 });
    const metrics = start(vendor, config(true));
    await produce(sameContent(250, [7]));
    await until(() => final('sent').length + final('failed').length === 250, 'every message settled');
    assert.deepEqual(final('failed'), ['m-7'], 'only the refused recipient fails');
    assert.equal(new Set(final('sent')).size, 249);
    assert.equal(
      calls.reduce((sum, size) => sum + size, 0),
      250,
      'each message in exactly one call',
    );
    assert.ok(calls.length <= 10, `${calls.length} calls for 250 messages`);
    assert.ok(
      calls.every((size) => size <= 100),
      `no call above maxMessages: ${calls}`,
    );
    const counted = (await metrics.vendorCalls.get()).values.reduce((sum, v) => sum + v.value, 0);
    assert.equal(counted, calls.length, 'herald_vendor_calls_total counts the calls, not the messages');
  });

  it('sends a call refused whole for its content again one message a call, so only the culprit fails', async () => {
    const { vendor, calls } = bulkVendor({ maxMessages: 100, wholeCall: true });
    start(vendor, config(true));
    await produce(sameContent(20, [3]));
    await until(() => final('sent').length + final('failed').length === 20, 'every message settled');
    assert.deepEqual(final('failed'), ['m-3']);
    assert.equal(final('sent').length, 19);
    assert.deepEqual(calls, [20, ...Array.from({ length: 20 }, () => 1)]);
  });

  it('retries every message of a call that failed whole, none of them lost or sent', async () => {
    const { vendor, calls } = bulkVendor({ maxMessages: 100, outage: true });
    start(vendor, config(true));
    await produce(sameContent(30));
    await until(() => final('retrying').length === 30, 'every message retrying');
    assert.equal(final('sent').length, 0);
    assert.equal(calls[0], 30);
  });

  it('sends one call per message when the lane does not bulk', async () => {
    const { vendor, calls } = bulkVendor({ maxMessages: 100 });
    start(vendor, config(false));
    await produce(sameContent(40));
    await until(() => final('sent').length === 40, 'every message sent');
    assert.equal(calls.length, 40);
    assert.ok(calls.every((size) => size === 1));
  });
});
