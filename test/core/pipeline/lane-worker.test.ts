import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { partitionForKey } from '../../../src/adapters/sqlite/partition-for-key.ts';
import { DEFAULT_REMOTE_CONFIG } from '../../../src/config/default-remote-config.ts';
import type { Envelope, OutboundMessage } from '../../../src/core/domain/message.ts';
import type { RemoteConfigDocument } from '../../../src/core/domain/remote-config.ts';
import { encodeEnvelope } from '../../../src/core/pipeline/envelope-codec.ts';
import { sendTopic } from '../../../src/core/pipeline/topics.ts';
import { HeraldMetrics } from '../../../src/observability/metrics.ts';
import type { DedupStore } from '../../../src/ports/dedup-store.ts';
import type { Vendor } from '../../../src/ports/vendor.ts';
import { batchLaneWorker, smsEnvelope, useEmbeddedLane } from './lane-fixtures.ts';

/**
 * The lane worker against the real embedded transport and dedup store, with vendors and history
 * given as narrow object literals so a test can hold calls open and read every outcome.
 */
describe('LaneWorker', () => {
  const lane = useEmbeddedLane(4);

  const laneConfig = (lane: Partial<RemoteConfigDocument['lanes']['batch']>): RemoteConfigDocument => ({
    ...DEFAULT_REMOTE_CONFIG,
    lanes: { ...DEFAULT_REMOTE_CONFIG.lanes, batch: { ...DEFAULT_REMOTE_CONFIG.lanes.batch, ...lane } },
    routing: { ...DEFAULT_REMOTE_CONFIG.routing, sms: [{ vendor: 'v', weight: 1 }] },
  });

  function startWorker(vendor: Vendor, config: RemoteConfigDocument, store: DedupStore = lane.dedup) {
    const metrics = new HeraldMetrics();
    const worker = batchLaneWorker({ ...lane, dedup: store, vendor, config, metrics });
    lane.workers.push(worker);
    return { worker, metrics, started: worker.start() };
  }

  const envelope = (i: number, key = `key-${i}`) => smsEnvelope(i, { key, expiresAt: Date.now() + 60_000 });

  const produce = (envelopes: Envelope[]) =>
    lane.transport.produce(
      envelopes.map((e) => ({ topic: sendTopic('batch', 'sms'), key: e.key, value: encodeEnvelope(e) })),
    );

  const statusesOf = (status: string) =>
    lane.events.filter((e) => e.status === status).map((e) => e.messageId);

  async function until(condition: () => boolean, what: string) {
    const deadline = Date.now() + 15_000;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  it('bounds vendor calls by the send pool and taken records by maxInFlight (backpressure)', async () => {
    let active = 0;
    let peak = 0;
    const gates: (() => void)[] = [];
    const vendor: Vendor = {
      id: 'v',
      channels: ['sms'],
      send: async () => {
        active++;
        peak = Math.max(peak, active);
        await new Promise<void>((resolve) => gates.push(resolve));
        active--;
        return { vendorMessageId: 'x' };
      },
      close: async () => {},
    };
    const { worker } = startWorker(
      vendor,
      laneConfig({ sendConcurrency: 5, maxInFlight: 20, batchSize: 10 }),
    );
    await produce(Array.from({ length: 100 }, (_, i) => envelope(i)));
    await until(() => worker.pending === 20 && active === 5, '20 taken, 5 calling');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(worker.pending, 20, 'no more records taken while at maxInFlight');
    assert.equal(peak, 5);
    const release = setInterval(() => {
      for (const open of gates.splice(0)) open();
    }, 5);
    await until(() => statusesOf('sent').length === 100, 'all sent');
    clearInterval(release);
    assert.equal(peak, 5);
  });

  it('commits only up to the first unfinished record, and past it once it finishes', async () => {
    let holdFirst: (() => void) | undefined;
    const vendor: Vendor = {
      id: 'v',
      channels: ['sms'],
      send: async (message: OutboundMessage) => {
        if (message.messageId === 'm-0') await new Promise<void>((resolve) => (holdFirst = resolve));
        return { vendorMessageId: message.messageId };
      },
      close: async () => {},
    };
    const { worker } = startWorker(vendor, laneConfig({}));
    // Ten keys of one partition: offsets 0..9 in order; m-0 is the first record and its call is held.
    const keys = keysOfOnePartition(10, 4);
    await produce(keys.map((key, i) => envelope(i, key)));
    await until(() => statusesOf('sent').length === 9, '9 sent');
    await new Promise((resolve) => setTimeout(resolve, 300)); // several commit intervals
    const topic = sendTopic('batch', 'sms');
    const whileHeld = (await worker.committed()).filter((c) => c.topic === topic);
    assert.ok(
      whileHeld.every((c) => c.offset === 0),
      `nothing past m-0 committed: ${JSON.stringify(whileHeld)}`,
    );
    holdFirst!();
    await until(() => statusesOf('sent').length === 10, 'all sent');
    const deadline = Date.now() + 5_000;
    let after = await worker.committed();
    while (!after.some((c) => c.topic === topic && c.offset === 10) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      after = await worker.committed();
    }
    assert.ok(
      after.some((c) => c.topic === topic && c.offset === 10),
      'committed past all 10',
    );
  });

  it('sends a redelivered message once and records the copy as duplicate', async () => {
    let calls = 0;
    const vendor: Vendor = {
      id: 'v',
      channels: ['sms'],
      send: async () => ({ vendorMessageId: String(++calls) }),
      close: async () => {},
    };
    const { worker } = startWorker(vendor, laneConfig({}));
    await produce([envelope(1)]);
    // Finished means history written and the key confirmed.
    await until(() => statusesOf('sent').length === 1 && worker.pending === 0, 'sent and finished');
    await produce([envelope(1)]);
    await until(() => statusesOf('duplicate').length === 1, 'duplicate recorded');
    assert.equal(calls, 1);
  });

  it('fails open when the dedup store is down: sends, flags history, counts', async () => {
    const down = new Error('dedup store unreachable');
    const broken: DedupStore = {
      reserve: async () => {
        throw down;
      },
      confirm: async () => {
        throw down;
      },
      release: async () => {
        throw down;
      },
      claimFirst: async () => {
        throw down;
      },
      releaseClaims: async () => {
        throw down;
      },
      healthy: async () => false,
      close: async () => {},
    };
    const vendor: Vendor = {
      id: 'v',
      channels: ['sms'],
      send: async () => ({ vendorMessageId: 'x' }),
      close: async () => {},
    };
    const { metrics } = startWorker(vendor, laneConfig({}), broken);
    await produce([envelope(1), envelope(2), envelope(3)]);
    await until(() => statusesOf('sent').length === 3, 'all sent');
    assert.ok(lane.events.filter((e) => e.status === 'sent').every((e) => e.dedupFailOpen === true));
    assert.equal(await metrics.count(metrics.dedupFailOpen), 3);
  });

  it('on stop, aborts a call still running after the drain grace through its signal, commits nothing past it and releases its key', async () => {
    let seen: AbortSignal | undefined;
    const vendor: Vendor = {
      id: 'v',
      channels: ['sms'],
      // Like an HTTP adapter: the call ends only when its signal aborts.
      send: (_message, signal) => {
        seen = signal;
        return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
      },
      close: async () => {},
    };
    const config = {
      ...laneConfig({}),
      vendors: { v: { timeoutMs: 25_000, breakerThreshold: 1, breakerHalfOpenAfterMs: 60_000 } },
    };
    const { worker, metrics } = startWorker(vendor, config);
    await produce([envelope(1)]);
    await until(() => seen !== undefined, 'the vendor call to start');
    await worker.stop(50);
    lane.workers.splice(lane.workers.indexOf(worker), 1);
    assert.equal(seen?.aborted, true, "the vendor's signal derives from the lane's shutdown");
    assert.equal(await metrics.count(metrics.sendsAbandoned), 1);
    assert.deepEqual(
      lane.events.filter((e) => e.status !== 'sending'),
      [],
      'no outcome recorded: the message is neither retrying nor failed, it is redelivered',
    );
    assert.deepEqual(
      await lane.dedup.reserve(['key-1'], 1_000),
      ['reserved'],
      'its reservation was released',
    );
    const group = await lane.transport.consumer({
      group: 'herald-batch',
      topics: [sendTopic('batch', 'sms')],
    });
    const committed = await group.committed();
    await group.close();
    assert.ok(
      committed.every((c) => c.offset === 0),
      `nothing committed: ${JSON.stringify(committed)}`,
    );
  });

  it('ends an expired message as expired without calling the vendor', async () => {
    let calls = 0;
    const vendor: Vendor = {
      id: 'v',
      channels: ['sms'],
      send: async () => ({ vendorMessageId: String(++calls) }),
      close: async () => {},
    };
    startWorker(vendor, laneConfig({}));
    await produce([{ ...envelope(1), expiresAt: Date.now() - 1 }]);
    await until(() => statusesOf('expired').length === 1, 'expired');
    assert.equal(calls, 0);
    assert.equal(lane.events.find((e) => e.status === 'expired')?.errorCode, 'HERALD_EXPIRED');
  });
});

function keysOfOnePartition(count: number, partitions: number): string[] {
  const keys: string[] = [];
  for (let i = 0; keys.length < count; i++) {
    if (partitionForKey(`key-${i}`, partitions) === 0) keys.push(`key-${i}`);
  }
  return keys;
}
