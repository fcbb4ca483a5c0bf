import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { DEFAULT_REMOTE_CONFIG } from '../../../src/config/default-remote-config.ts';
import { type Finish, PollLoop, type PollLoopOptions } from '../../../src/core/pipeline/poll-loop.ts';
import { silentLogger } from '../../../src/observability/logger.ts';
import { HeraldMetrics } from '../../../src/observability/metrics.ts';
import type { CommitOffset, TransportRecord } from '../../../src/ports/transport.ts';
import { waitFor } from '../../support/herald-harness.ts';
import { type TestTransport, transportSubjects } from '../../support/test-transports.ts';

const TOPIC = 'poll-loop-topic';
const GROUP = 'poll-loop-group';
const RECORDS = 6;

/**
 * The poll loop every consumer of herald runs on (lane workers and retry workers, embedded log and
 * Kafka), given narrow handlers: what happens to a batch whose handler throws, and to work still
 * running when a shutdown's drain grace is over.
 */
for (const subject of await transportSubjects()) {
  describe(`PollLoop on the ${subject.name} transport`, { skip: subject.skip }, () => {
    let t: TestTransport;
    let loop: PollLoop | undefined;
    let metrics: HeraldMetrics;

    beforeEach(async () => {
      t = await subject.make([{ name: TOPIC, partitions: 1 }], [GROUP]);
      await t.transport.produce(
        Array.from({ length: RECORDS }, (_, i) => ({ topic: TOPIC, key: 'one-partition', value: `v${i}` })),
      );
      metrics = new HeraldMetrics();
      loop = undefined;
    });
    afterEach(async () => {
      await loop?.stop(0);
      await t.cleanup();
    });

    function start(options: Pick<PollLoopOptions, 'handle' | 'recover'>): PollLoop {
      loop = new PollLoop({
        name: 'test',
        group: GROUP,
        topics: [TOPIC],
        transport: t.transport,
        metrics,
        logger: silentLogger(),
        config: () => DEFAULT_REMOTE_CONFIG,
        limits: () => ({ batchSize: RECORDS, maxInFlight: 100 }),
        commitIntervalMs: 20,
        ...options,
      });
      void loop.start();
      return loop;
    }

    const committedOffset = async (l: PollLoop) =>
      (await l.committed()).find((c: CommitOffset) => c.topic === TOPIC)?.offset ?? 0;

    it('hands exactly what a failed handler left unfinished to recover, and commits past it', async () => {
      const recovered: number[] = [];
      let batches = 0;
      const l = start({
        handle: async (records, finish) => {
          batches++;
          for (const record of records) if (record.offset % 2 === 0) finish(record);
          throw new Error('injected fault');
        },
        recover: async (records, _error, finish) => {
          for (const record of records) {
            recovered.push(record.offset);
            finish(record);
          }
        },
      });
      await waitFor(async () => (await committedOffset(l)) === RECORDS, 20_000, 'a commit past every record');
      assert.deepEqual(recovered, [1, 3, 5]);
      // One failure per batch (a broker may hand the six records over in more than one).
      assert.equal(await metrics.count(metrics.handlerFailures, { outcome: 'retried' }), batches);
      assert.equal(l.status().failure, undefined);
    });

    it('reports itself failed, and commits nothing past the stranded records, when nothing takes them', async () => {
      const l = start({
        handle: async (records, finish) => {
          for (const record of records) if (record.offset < 2) finish(record);
          throw new Error('injected fault');
        },
      });
      const failure = await waitFor(async () => l.status().failure, 20_000, 'the failure to be reported');
      assert.match(failure, /records could not be handed to retry \(injected fault\)/);
      await waitFor(async () => (await committedOffset(l)) === 2, 20_000, 'the finished prefix committed');
      assert.equal(l.pending, RECORDS - 2, 'the stranded records stay taken, so never committed');
      assert.ok((await metrics.count(metrics.handlerFailures, { outcome: 'stuck' })) >= 1);
    });

    it('aborts the work still running when the drain grace is over, and commits only what finished', async () => {
      let signal: AbortSignal | undefined;
      const l = start({
        handle: async (records, finish: Finish, workSignal) => {
          signal = workSignal;
          finish(records[0] as TransportRecord);
          // The rest "hang" until the shutdown gives up on them, as an aborted vendor call does.
          await new Promise((resolve) => workSignal.addEventListener('abort', resolve, { once: true }));
        },
      });
      await waitFor(async () => signal !== undefined && l.pending === RECORDS - 1, 20_000, 'the batch taken');
      assert.equal(signal?.aborted, false);
      await l.stop(50);
      loop = undefined;
      assert.equal(signal?.aborted, true, 'the batch was told through its signal');
      const reader = await t.transport.consumer({ group: GROUP, topics: [TOPIC] });
      try {
        const offset = (await reader.committed()).find((c) => c.topic === TOPIC)?.offset;
        assert.equal(offset, 1, 'committed up to the first record given up on');
      } finally {
        await reader.close();
      }
    });
  });
}
