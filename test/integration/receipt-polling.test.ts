import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { SqliteConfigStore } from '../../src/adapters/sqlite/sqlite-config-store.ts';
import { SqliteScheduleStore } from '../../src/adapters/sqlite/sqlite-schedule-store.ts';
import { DEFAULT_REMOTE_CONFIG } from '../../src/config/default-remote-config.ts';
import type { RemoteConfigDocument } from '../../src/core/domain/remote-config.ts';
import { DEV_RECIPIENT_HASH_SECRET } from '../../src/core/identity/recipient-privacy.ts';
import { encodeEnvelope } from '../../src/core/pipeline/envelope-codec.ts';
import { sendRecord } from '../../src/core/pipeline/release-due.ts';
import { RetryWorker } from '../../src/core/pipeline/retry-worker.ts';
import { checksTopic, sendTopic } from '../../src/core/pipeline/topics.ts';
import { ReceiptsWorker } from '../../src/core/receipts/receipts-worker.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { HeraldMetrics } from '../../src/observability/metrics.ts';
import type { VendorMessageRef } from '../../src/ports/history-store.ts';
import type { DeliveryCheck, Vendor } from '../../src/ports/vendor.ts';
import { type TempDirectory, tempDirectory } from '../adapters/sqlite/temp-directory.ts';
import { batchLaneWorker, smsEnvelope, useEmbeddedLane } from '../core/pipeline/lane-fixtures.ts';

/**
 * The whole polling path on the embedded log: the lane sends and queues the first look-up on its
 * retry topic, the retry worker brings it back when due, the lane looks receipts up in batches and
 * produces the answers to herald.receipts, and the receipts worker writes `delivered`. The vendor is
 * a port-level fake with a ReceiptLookup (the adapters' look-ups are another engineer's, tested
 * against the simulators); history is the lane fixture's event list.
 */
describe('receipt polling, lane to receipts worker (embedded log)', () => {
  const lane = useEmbeddedLane(2);
  let dir: TempDirectory;
  let schedule: SqliteScheduleStore;
  let optOuts: SqliteConfigStore;
  const stops: (() => Promise<void>)[] = [];

  beforeEach(() => {
    dir = tempDirectory();
    schedule = new SqliteScheduleStore({ path: dir.file('schedule.db') });
    optOuts = new SqliteConfigStore({ path: dir.file('config.db') });
  });
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
    await Promise.all([schedule.close(), optOuts.close()]);
    dir.remove();
  });

  const config: RemoteConfigDocument = {
    ...DEFAULT_REMOTE_CONFIG,
    routing: { ...DEFAULT_REMOTE_CONFIG.routing, sms: [{ vendor: 'v', weight: 1 }] },
  };

  it('looks up every sent SMS in batches until final and records delivered with the carrier', async () => {
    const calls: string[][] = [];
    const asked = new Map<string, number>();
    const vendor: Vendor = {
      id: 'v',
      channels: ['sms', 'lms', 'mms'],
      send: async (message) => ({ vendorMessageId: `v-${message.messageId}` }),
      receipts: {
        maxIdsPerCall: 3,
        callsPerSecond: 50,
        deliveryTimeoutMs: () => 25 * 3_600_000,
        // Pending at the first look-up of each id, delivered through KT at the second.
        lookUp: async (queries) => {
          const ids = queries.map(({ vendorMessageId }) => vendorMessageId);
          calls.push(ids);
          const answers = new Map<string, DeliveryCheck>();
          for (const id of ids) {
            const round = (asked.get(id) ?? 0) + 1;
            asked.set(id, round);
            answers.set(
              id,
              round === 1
                ? { state: 'pending' }
                : { state: 'delivered', at: Date.now(), code: '1000', carrier: 'KT' },
            );
          }
          return answers;
        },
      },
      close: async () => {},
    };
    const metrics = new HeraldMetrics();
    const laneWorker = batchLaneWorker({ ...lane, vendor, config, metrics });
    lane.workers.push(laneWorker);
    const history = {
      appendEvents: async (events: typeof lane.events) => void lane.events.push(...events),
      findByVendorMessageIds: async (vendorId: string, ids: readonly string[]) => {
        const found = new Map<string, VendorMessageRef>();
        for (const event of lane.events) {
          if (event.status !== 'sent' || event.vendor !== vendorId || !ids.includes(event.vendorMessageId!))
            continue;
          const ref: VendorMessageRef = {
            messageId: event.messageId,
            clientId: 'c',
            channel: 'sms',
            lane: 'batch',
            status: lane.events.findLast((e) => e.messageId === event.messageId)!.status,
            vendorMessageId: event.vendorMessageId!,
          };
          found.set(event.vendorMessageId!, ref);
        }
        return found;
      },
    };
    const retry = new RetryWorker({
      lane: 'batch',
      transport: lane.transport,
      history,
      schedule,
      optOuts,
      recipientHashSecret: DEV_RECIPIENT_HASH_SECRET,
      config: () => config,
      metrics,
      logger: silentLogger(),
      releaseIdleMs: 20,
    });
    const receipts = new ReceiptsWorker({
      transport: lane.transport,
      history,
      config: () => config,
      metrics,
      logger: silentLogger(),
    });
    stops.push(
      () => retry.stop(),
      () => receipts.stop(),
    );
    await Promise.all([laneWorker.start(), retry.start(), receipts.start()]);

    const envelopes = Array.from({ length: 7 }, (_, i) => smsEnvelope(i));
    await lane.transport.produce(
      envelopes.map((e) => ({ topic: sendTopic('batch', 'sms'), key: e.key, value: encodeEnvelope(e) })),
    );
    const delivered = () => lane.events.filter((event) => event.status === 'delivered');
    const deadline = Date.now() + 60_000;
    while (delivered().length < 7 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));

    assert.deepEqual(
      delivered()
        .map((event) => event.messageId)
        .sort(),
      envelopes.map((e) => e.messageId).sort(),
    );
    for (const event of delivered()) {
      assert.equal(event.carrier, 'KT');
      assert.equal(event.resultCode, '1000');
      assert.equal(event.clientId, 'c');
    }
    assert.ok(
      calls.every((ids) => ids.length <= 3),
      'never more than maxIdsPerCall ids a call',
    );
    assert.equal(calls.flat().length, 14, 'each message looked up twice: pending, then delivered');
    assert.equal(
      await metrics.count(metrics.receipts, {
        vendor: 'v',
        carrier: 'KT',
        state: 'delivered',
        source: 'lookup',
      }),
      7,
    );
    // Look-up receipts carry the sent time: each delivered one is in the latency histogram.
    const { values } = await metrics.deliveryLatency.get();
    const observed = values.filter((value) => value.metricName === 'herald_delivery_latency_seconds_count');
    assert.equal(
      observed.reduce((sum, value) => sum + value.value, 0),
      7,
    );
  });

  it('keeps sending while look-ups wait for their vendor pace: checks have their own topic and consumer', async () => {
    let lookUps = 0;
    const vendor: Vendor = {
      id: 'v',
      channels: ['sms', 'lms', 'mms'],
      send: async (message) => ({ vendorMessageId: `v-${message.messageId}` }),
      receipts: {
        maxIdsPerCall: 1,
        // One call, then the next only after 1,000 s: every other look-up waits on the pacer.
        callsPerSecond: 0.001,
        deliveryTimeoutMs: () => 25 * 3_600_000,
        lookUp: (_queries, call) =>
          call(async () => {
            lookUps += 1;
            return new Map();
          }),
      },
      close: async () => {},
    };
    // A send window of 4 records: in it, 30 paced look-ups would hold every send back for hours.
    const narrow: RemoteConfigDocument = {
      ...config,
      lanes: { ...config.lanes, batch: { ...config.lanes.batch, batchSize: 4, maxInFlight: 4 } },
    };
    const laneWorker = batchLaneWorker({ ...lane, vendor, config: narrow });
    lane.workers.push(laneWorker);
    await laneWorker.start();

    const waiting = Array.from({ length: 30 }, (_, i) =>
      sendRecord(
        smsEnvelope(100 + i, {
          deliveryCheck: {
            vendor: 'v',
            vendorMessageId: `v-m-${100 + i}`,
            round: 1,
            sentAt: Date.now(),
            deadline: Date.now() + 3_600_000,
          },
        }),
      ),
    );
    assert.ok(
      waiting.every((record) => record.topic === checksTopic('batch')),
      'a due check goes to the checks topic',
    );
    await lane.transport.produce(waiting);
    const fresh = Array.from({ length: 20 }, (_, i) => smsEnvelope(i));
    await lane.transport.produce(
      fresh.map((e) => ({ topic: sendTopic('batch', 'sms'), key: e.key, value: encodeEnvelope(e) })),
    );
    const sent = () => lane.events.filter((event) => event.status === 'sent');
    const deadline = Date.now() + 60_000;
    while ((sent().length < 20 || laneWorker.status().pending > 0) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }

    assert.equal(sent().length, 20, 'every new message sent while the look-ups wait');
    assert.equal(lookUps, 1, 'the pacer let one look-up through; the rest still wait for it');
    assert.ok(laneWorker.checksStatus().pending >= 29, 'the waiting look-ups are in the checks consumer');
    assert.equal(laneWorker.status().pending, 0, 'and none in the send consumer');
  });
});
