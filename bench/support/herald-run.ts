import { setTimeout as sleep } from 'node:timers/promises';
import { type RunningHerald, startHerald } from '../../src/app/herald.ts';
import type { LaneSettings } from '../../src/core/domain/remote-config.ts';
import { sendTopic } from '../../src/core/pipeline/topics.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import {
  benchHeraldEnv,
  benchTransport,
  cleanUpNamespace,
  type EngineUrls,
  produceAll,
  smsEnvelopes,
  waitUntil,
} from './bench-engines.ts';
import type { SimulatorProcess } from './simulator-process.ts';

export interface HeraldDrainOptions {
  readonly engines: EngineUrls;
  readonly namespace: string;
  readonly partitions: number;
  readonly count: number;
  readonly simulator: SimulatorProcess;
  /** Produce every message before herald starts (a backlog), or after its lane has joined (a burst). */
  readonly produceFirst: boolean;
  /** Batch-lane settings applied through remote config before the messages are produced. */
  readonly batchLane?: Partial<LaneSettings>;
  readonly progress?: (fraction: number) => void;
  /** Runs after the last delivery, before herald stops (to read its metrics). */
  readonly inspect?: (herald: RunningHerald) => Promise<void>;
}

export interface HeraldDrainResult {
  readonly count: number;
  /** From the lane's start (backlog) or the first produce (burst) to the last simulator receipt. */
  readonly elapsedMs: number;
  readonly perSecond: number;
  readonly commits: number;
  /** Messages the simulator received (== count unless herald stalled; the simulator is polled every 50 ms). */
  readonly received: number;
  /** Set when deliveries stopped before `count`: what was missing where (perSecond then covers `received`). */
  readonly stall: string | undefined;
  /** CPU time of this process (herald's lane, retry worker and history writer) per wall time over the drain: 1.0 = one core. */
  readonly cpuCores: number;
  /** The measured window on the monotonic clock (µs, as V8 CPU profiles count), to cut a profile to it. */
  readonly windowUs: { readonly start: number; readonly end: number };
}

/**
 * Runs herald's batch lane, its retry worker and the history writer (no API; history is the
 * writer's projection of the history log, kept as in production) on the production engines until the
 * simulator process has delivered every one of `count` SMS envelopes produced onto the lane's
 * topic. Deliveries are read by polling the simulator every POLL_MS, which bounds the timing error.
 */
export async function runHeraldDrain(options: HeraldDrainOptions): Promise<HeraldDrainResult> {
  const { engines, namespace, count } = options;
  const transport = await benchTransport(engines.kafkaBrokers, namespace, options.partitions);
  const records = smsEnvelopes(count);
  const before = await options.simulator.distinctDelivered();
  let received = 0;
  let lastAt = 0;
  let herald: RunningHerald | undefined;
  try {
    if (options.produceFirst) await produceAll(transport, records);
    const env = benchHeraldEnv(engines, namespace, options.simulator.url, options.partitions);
    herald = await startHerald(env, silentLogger(), {
      api: false,
      lanes: ['batch'],
      retryLanes: ['batch'],
      historyWriter: true,
    });
    if (options.batchLane) await applyBatchLane(herald, options.batchLane);
    const startedAt = Date.now();
    const startUs = monotonicUs();
    const cpuAtStart = process.cpuUsage();
    if (!options.produceFirst) await produceAll(transport, records);
    let lastProgress = { received, at: Date.now() };
    const deadline = Date.now() + Math.max(300_000, count * 10);
    while (received < count && Date.now() - lastProgress.at <= STALL_MS && Date.now() < deadline) {
      await sleep(POLL_MS);
      const now = Date.now();
      const delivered = (await options.simulator.distinctDelivered()) - before;
      if (delivered !== received) {
        received = delivered;
        lastAt = now;
        lastProgress = { received, at: now };
        options.progress?.(received / count);
      }
    }
    const stall =
      received < count
        ? `stalled: ${received} of ${count} delivered, none for ${STALL_MS / 1_000} s; lane pending ${herald.lanes[0]?.pending}; committed offset per partition ${await committedPerPartition(herald)} (the topic is new: offset = records passed)`
        : undefined;
    const elapsedMs = lastAt - startedAt;
    const cpu = process.cpuUsage(cpuAtStart);
    const cpuCores = (cpu.user + cpu.system) / 1_000 / (Date.now() - startedAt);
    const windowUs = { start: startUs, end: monotonicUs() };
    await options.inspect?.(herald);
    const commits = await herald.metrics.count(herald.metrics.commits);
    return {
      count,
      received,
      elapsedMs,
      perSecond: (Math.min(received, count) * 1_000) / elapsedMs,
      commits,
      cpuCores,
      windowUs,
      stall,
    };
  } finally {
    await herald?.stop();
    await transport.close();
    await cleanUpNamespace(engines, namespace);
  }
}

async function applyBatchLane(herald: RunningHerald, patch: Partial<LaneSettings>): Promise<void> {
  const document = herald.config.current();
  const batch = { ...document.lanes.batch, ...patch };
  await herald.stores.config.putRemoteConfig({ ...document, lanes: { ...document.lanes, batch } });
  await waitUntil(
    () => JSON.stringify(herald.config.current().lanes.batch) === JSON.stringify(batch),
    10_000,
    'the remote config change to reach the lane',
  );
}

/** No delivery for this long before the last one counts as a stall (reported, not waited out). */
const STALL_MS = 30_000;
const POLL_MS = 50;

async function committedPerPartition(herald: RunningHerald): Promise<string> {
  const topic = sendTopic('batch', 'sms');
  const offsets = (await herald.lanes[0]?.committed().catch(() => [])) ?? [];
  const mine = offsets.filter((offset) => offset.topic === topic).sort((a, b) => a.partition - b.partition);
  return JSON.stringify(Object.fromEntries(mine.map((offset) => [offset.partition, offset.offset])));
}

function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1_000n);
}
