import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import type { LaneSettings } from '../../src/core/domain/remote-config.ts';
import { sendTopic } from '../../src/core/pipeline/topics.ts';
import {
  benchTransport,
  cleanUpNamespace,
  type EngineUrls,
  produceAll,
  smsEnvelopes,
} from './bench-engines.ts';
import { benchSmsVendors } from './bench-sms-vendors.ts';
import { MinimalLoop, type MinimalLoopCounts } from './minimal-loop.ts';
import type { SimulatorProcess } from './simulator-process.ts';

export interface MinimalLoopRunOptions {
  readonly engines: EngineUrls;
  readonly namespace: string;
  readonly partitions: number;
  readonly count: number;
  readonly simulator: SimulatorProcess;
  /** The lane settings herald ran with in the figure this one is compared with. */
  readonly lane: Pick<LaneSettings, 'batchSize' | 'maxInFlight' | 'sendConcurrency'>;
  readonly progress?: (fraction: number) => void;
}

export interface MinimalLoopRunResult {
  readonly count: number;
  /** Messages the simulator received (== count unless the loop stalled). */
  readonly received: number;
  /** From the first produce to the last simulator receipt, as runHeraldDrain times a burst. */
  readonly elapsedMs: number;
  readonly perSecond: number;
  /** Vendor calls the simulator counted per message (1 here: one call per message). */
  readonly vendorCallsPerMessage: number;
  readonly counts: MinimalLoopCounts;
  readonly stall: string | undefined;
}

/** No delivery for this long counts as a stall (reported, not waited out), as in herald-run.ts. */
const STALL_MS = 30_000;
const POLL_MS = 50;
const EVENTS_TOPIC = 'bench.minimal.events';

/**
 * Drains `count` batch-lane SMS envelopes through the MinimalLoop as a burst (produced onto herald's
 * send topic once the loop's group has joined), timed as runHeraldDrain times a burst: by polling the
 * simulator process for distinct deliveries every POLL_MS, from the first produce to the last one.
 */
export async function runMinimalLoop(options: MinimalLoopRunOptions): Promise<MinimalLoopRunResult> {
  const { engines, namespace, count, simulator } = options;
  const transport = await benchTransport(engines.kafkaBrokers, namespace, options.partitions);
  const redis = new Redis(engines.redisUrl, { lazyConnect: true });
  const vendors = await benchSmsVendors(simulator.url);
  let loop: MinimalLoop | undefined;
  try {
    await transport.ensureTopics([{ name: EVENTS_TOPIC, partitions: options.partitions }]);
    const records = smsEnvelopes(count);
    await redis.connect();
    const before = await simulator.totals();
    loop = new MinimalLoop({
      brokers: engines.kafkaBrokers.split(','),
      groupId: `${namespace}.minimal`,
      sourceTopic: `${namespace}.${sendTopic('batch', 'sms')}`,
      eventsTopic: `${namespace}.${EVENTS_TOPIC}`,
      redis,
      keyPrefix: `${namespace}:reserve:`,
      vendors,
      lane: options.lane,
    });
    await loop.start();
    const startedAt = Date.now();
    await produceAll(transport, records);
    let received = 0;
    let lastAt = startedAt;
    while (received < count && Date.now() - lastAt <= STALL_MS && loop.failure === undefined) {
      await sleep(POLL_MS);
      const delivered = (await simulator.distinctDelivered()) - before.distinct;
      if (delivered !== received) {
        received = delivered;
        lastAt = Date.now();
        options.progress?.(received / count);
      }
    }
    await loop.stop();
    if (loop.failure !== undefined) throw loop.failure;
    const calls = (await simulator.totals()).calls - before.calls;
    const counts = { ...loop.counts };
    return {
      count,
      received,
      elapsedMs: lastAt - startedAt,
      perSecond: (Math.min(received, count) * 1_000) / (lastAt - startedAt),
      vendorCallsPerMessage: calls / count,
      counts,
      stall:
        received < count || counts.committed < count
          ? `stalled: ${received} of ${count} delivered, ${counts.committed} committed, none for ${STALL_MS / 1_000} s`
          : undefined,
    };
  } finally {
    await loop?.stop();
    await vendors.close();
    redis.disconnect();
    await transport.close();
    await cleanUpNamespace(engines, namespace);
  }
}
