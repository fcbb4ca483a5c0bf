import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { SqliteDedupStore } from '../../../src/adapters/sqlite/sqlite-dedup-store.ts';
import { checkHealth } from '../../../src/app/health.ts';
import { DEFAULT_REMOTE_CONFIG } from '../../../src/config/default-remote-config.ts';
import type { Envelope } from '../../../src/core/domain/message.ts';
import type { RemoteConfigDocument } from '../../../src/core/domain/remote-config.ts';
import { decodeEnvelope, encodeEnvelope } from '../../../src/core/pipeline/envelope-codec.ts';
import type { LaneWorker } from '../../../src/core/pipeline/lane-worker.ts';
import { checksTopic, laneSendTopics, retryTopic, sendTopic } from '../../../src/core/pipeline/topics.ts';
import { HeraldMetrics } from '../../../src/observability/metrics.ts';
import type { MessageEvent } from '../../../src/ports/history-store.ts';
import type { Transport } from '../../../src/ports/transport.ts';
import type { Vendor } from '../../../src/ports/vendor.ts';
import { waitFor } from '../../support/herald-harness.ts';
import { type TestTransport, transportSubjects } from '../../support/test-transports.ts';
import { batchLaneWorker, smsEnvelope } from './lane-fixtures.ts';

const TOPIC = sendTopic('batch', 'sms');
const GROUPS = ['herald-batch', 'herald-batch-checks', 'test-retry-reader'];
const COUNT = 3;

const config: RemoteConfigDocument = {
  ...DEFAULT_REMOTE_CONFIG,
  routing: { ...DEFAULT_REMOTE_CONFIG.routing, sms: [{ vendor: 'v', weight: 1 }] },
  vendors: {
    ...DEFAULT_REMOTE_CONFIG.vendors,
    v: { timeoutMs: 5_000, breakerThreshold: 5, breakerHalfOpenAfterMs: 1_000 },
  },
};

const vendor: Vendor = {
  id: 'v',
  channels: ['sms'],
  send: async (message) => ({ vendorMessageId: message.messageId }),
  close: async () => {},
};

/**
 * A lane whose batch handler throws, on the embedded log and on Kafka: the fault is injected where
 * the handler records a vendor call's latency, after the call. Its records must not stall the
 * partition in silence: they go to the retry topic as a failed attempt (history `retrying`,
 * HERALD_INTERNAL) and the commit moves past them; and when even the retry topic refuses them the
 * lane reports itself stuck on /health (503) and counts it, committing nothing past them.
 */
for (const subject of await transportSubjects()) {
  describe(`a lane whose batch handler throws (${subject.name} transport)`, { skip: subject.skip }, () => {
    let t: TestTransport;
    let dir: string;
    let dedup: SqliteDedupStore;
    let events: MessageEvent[];
    let worker: LaneWorker | undefined;

    beforeEach(async () => {
      const topics = [...laneSendTopics('batch'), retryTopic('batch'), checksTopic('batch')].map((name) => ({
        name,
        partitions: 2,
      }));
      t = await subject.make(topics, GROUPS);
      dir = mkdtempSync(join(tmpdir(), 'herald-fault-'));
      dedup = new SqliteDedupStore({ path: join(dir, 'dedup.db') });
      events = [];
      worker = undefined;
    });
    afterEach(async () => {
      await worker?.stop(0);
      await dedup.close();
      await t.cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    /** A lane worker whose handler throws once per batch, after each vendor call. */
    function startFaultyWorker(transport: Pick<Transport, 'consumer' | 'produce'>) {
      const metrics = new HeraldMetrics();
      metrics.vendorLatency.observe = () => {
        throw new Error('injected fault');
      };
      const started = batchLaneWorker({ transport, dedup, vendor, config, events, metrics });
      worker = started;
      void started.start();
      return { worker: started, metrics };
    }

    const produce = () =>
      t.transport.produce(
        Array.from({ length: COUNT }, (_, i) => {
          const envelope = smsEnvelope(i);
          return { topic: TOPIC, key: envelope.key, value: encodeEnvelope(envelope) };
        }),
      );

    const committedTotal = async (w: LaneWorker) =>
      (await w.committed()).filter((c) => c.topic === TOPIC).reduce((sum, c) => sum + c.offset, 0);

    it('hands its records to the retry topic as a failed attempt and commits past them', async () => {
      const { worker, metrics } = startFaultyWorker(t.transport);
      await produce();
      await waitFor(
        async () => (await committedTotal(worker)) === COUNT,
        30_000,
        'a commit past every record',
      );
      const retrying = events.filter((e) => e.status === 'retrying');
      assert.deepEqual(retrying.map((e) => e.messageId).sort(), ['m-0', 'm-1', 'm-2']);
      assert.ok(retrying.every((e) => e.errorCode === 'HERALD_INTERNAL' && e.attempt === 1));
      assert.ok((await metrics.count(metrics.handlerFailures, { outcome: 'retried' })) >= 1);
      assert.equal(worker.status().failure, undefined);

      const reader = await t.transport.consumer({
        group: 'test-retry-reader',
        topics: [retryTopic('batch')],
      });
      try {
        const retries: Envelope[] = [];
        await waitFor(
          async () => {
            for (const record of await reader.poll(10, 500)) retries.push(decodeEnvelope(record.value)!);
            return retries.length === COUNT;
          },
          30_000,
          'the retry records',
        );
        assert.ok(
          retries.every((e) => e.attempt === 2 && (e.notBefore ?? 0) > 0),
          'counted as an attempt',
        );
      } finally {
        await reader.close();
      }
    });

    it('reports the lane stuck on /health when the retry topic refuses them too, and commits nothing past them', async () => {
      const refusing: Pick<Transport, 'consumer' | 'produce'> = {
        consumer: (options) => t.transport.consumer(options),
        produce: async () => {
          throw new Error('retry topic unavailable');
        },
      };
      const { worker, metrics } = startFaultyWorker(refusing);
      await produce();
      const failure = await waitFor(async () => worker.status().failure, 30_000, 'the lane to report it');
      assert.match(failure, /could not be handed to retry \(retry topic unavailable\)/);
      assert.equal(worker.pending, COUNT, 'the records stay taken, so no commit can pass them');
      assert.equal(await committedTotal(worker), 0);
      assert.ok((await metrics.count(metrics.handlerFailures, { outcome: 'stuck' })) >= 1);

      const up = { healthy: async () => true };
      const report = await checkHealth({
        stores: { transport: up, history: up, config: up, dedup: up, schedule: up },
        lanes: [worker],
        retries: [],
        vendors: {},
        stopping: false,
      });
      assert.equal(report.ready, false);
      assert.equal(report.components['lane:batch']?.ok, false);
      assert.equal(report.components['lane:batch']?.detail, failure);
    });
  });
}
