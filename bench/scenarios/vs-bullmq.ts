import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { sampleHistoryLag, scrapeHistoryLag } from '../../drills/support/history-lag.ts';
import { DEV_SENDER_NUMBER } from '../../src/app/dev-senders.ts';
import { DEFAULT_REMOTE_CONFIG } from '../../src/config/default-remote-config.ts';
import type { OutboundMessage } from '../../src/core/domain/message.ts';
import type { ReceiveListener } from '../../src/simulators/receive-counter.ts';
import type { SimulatorServer } from '../../src/simulators/simulator-server.ts';
import { RedisServerProcess } from '../../test/support/redis-server-process.ts';
import type { BenchContext, Scenario, ScenarioResult } from '../scenario.ts';
import { BENCH_CREDENTIALS_DIR } from '../support/bench-engines.ts';
import { bullmqConnection, startBullmqSmsWorker } from '../support/bullmq-sms-worker.ts';
import { startBullmqWorkerProcess } from '../support/bullmq-worker-process.ts';
import { startHeraldProcesses } from '../support/herald-processes.ts';
import { waitForCompleteHistory } from '../support/history-completeness.ts';
import { type CpuUse, cpuMeter } from '../support/machine-cpu.ts';
import { type SimulatorThread, startSimulatorThread } from '../support/simulator-thread.ts';
import {
  deliveryCheckSummary,
  epochNowMs,
  lookUpFailureCounter,
  sleep,
  smsRequest,
  startBenchHerald,
  startBenchSimulators,
  submitInChunks,
  vendorCallSummary,
} from './herald-bench-kit.ts';

/**
 * Against the queue a user would pick instead: BullMQ (the queue Novu is built on). The API side
 * enqueues one job per recipient with Queue.addBulk (100 per call, like herald's 100 recipients
 * per POST); a Worker with herald's send concurrency calls the same simulator through the same
 * real SMS adapters (nhn-sms, sens-sms, solapi-sms at 50/30/20, the same generated credentials),
 * one call per message. herald runs on Kafka/Redis/PostgreSQL with the same messages on lane batch,
 * one call per message too (its bulk calls off), keeping its full history: after its run the
 * scenario waits until the history of every message is complete (the history writer folds the
 * history log into PostgreSQL) and fails if it is not within HISTORY_TIMEOUT_MS; it reports how long
 * after the last send that was, and the history lag sampled over the run.
 * Each queue runs twice per latency: in one process with the simulator and the client (`herald
 * start`; BullMQ's Queue and Worker side by side), the figures the targets are read on; then as
 * each is deployed, herald's roles as processes of their own (bench/support/herald-processes.ts)
 * and BullMQ's Worker in a process of its own, the simulator on a thread. One process puts all of
 * herald's work on one core; deployed, both queues get what their design spreads over the machine.
 * Throughput: first enqueue/accept to last vendor receipt. BullMQ gets a private redis-server.
 */
const FULL_MESSAGES = 20_000;
const LANE = 'batch' as const;
const CONCURRENCY = DEFAULT_REMOTE_CONFIG.lanes[LANE].sendConcurrency;
const REQUEST_SIZE = 100;
const SUBMIT_CONCURRENCY = 4;
const WARM_UP = 10;
/** Generous: the projection may trail the sends, but never by this much. */
const HISTORY_TIMEOUT_MS = 60_000;

interface Run {
  readonly messages: number;
  readonly ms: number;
  readonly rate: number;
  /**
   * herald: vendor calls by vendor and outcome ('none failed' = no vendor available); BullMQ:
   * messages each vendor of the simulator received (the weights at work on its side too).
   */
  readonly vendorCalls?: Record<string, number>;
  /** herald: from the last vendor receipt to history complete for every message, ms. */
  readonly historyCompleteAfterMs?: number;
  /** herald: highest herald_history_lag_seconds sampled from the first send to history complete. */
  readonly historyMaxLagSeconds?: number;
  /** herald: receipt look-ups per vendor and outcome, one per message asked for (herald_delivery_checks_total). */
  readonly deliveryChecks?: Record<string, number>;
  /**
   * CPU time per 1,000 messages, from the first request to the last receipt (herald: to its history
   * complete): the whole machine's (the queue, its engines, the simulator and the client), and each
   * of the queue's own processes as deployed.
   */
  readonly cpu?: CpuUse;
  /** herald: failed receipt look-up calls by vendor and error code (each fails its whole chunk). */
  readonly lookUpFailures?: Record<string, number>;
}

/** One latency's four runs: each queue in one process with the simulator, then each as deployed. */
interface Figures {
  readonly herald: Run;
  readonly bullmq: Run;
  readonly heraldDeployed: Run;
  readonly bullmqDeployed: Run;
}

export const vsBullmq: Scenario = {
  name: 'vsBullmq',
  async run(context: BenchContext): Promise<ScenarioResult> {
    const messages = Math.max(1_000, Math.round(FULL_MESSAGES * context.scale));
    const redis = await RedisServerProcess.start();
    try {
      const figures: Record<string, Figures> = {};
      const latencies = [0, 50];
      for (const [i, latencyMs] of latencies.entries()) {
        const step = (part: number, label: string) =>
          context.progress((i + part) / latencies.length, `${latencyMs} ms: ${label}`);
        const sim = await startBenchSimulators(latencyMs);
        let herald: Run;
        let bullmq: Run;
        try {
          step(0, 'herald, one process');
          herald = await runHerald(context, sim, messages, `vb${latencyMs}`);
          step(0.25, 'bullmq, one process');
          bullmq = await runBullmq(redis.url, sim, messages, `vb${latencyMs}`, 'in this process');
        } finally {
          await sim.close();
        }
        const thread = await startSimulatorThread(latencyMs);
        try {
          step(0.5, 'herald, as deployed');
          const heraldDeployed = await runHeraldDeployed(context, thread, messages, `vbd${latencyMs}`);
          await thread.reset();
          step(0.75, 'bullmq, as deployed');
          const bullmqDeployed = await runBullmq(
            redis.url,
            thread,
            messages,
            `vbd${latencyMs}`,
            'own process',
          );
          figures[`${latencyMs}`] = { herald, bullmq, heraldDeployed, bullmqDeployed };
        } finally {
          await thread.close();
        }
      }
      return report(figures, messages);
    } finally {
      await redis.dispose();
    }
  },
};

/** What a measured herald run needs from where herald runs: in this process or as processes. */
interface HeraldUnderTest {
  send(body: unknown): Promise<unknown>;
  /** The history writer's herald_history_lag_seconds. */
  historyLag(): Promise<number>;
  /** Prometheus text of the process running the batch lane (vendor calls, receipt look-ups). */
  laneMetrics(): Promise<string>;
}

export async function runHerald(
  context: BenchContext,
  sim: SimulatorServer,
  count: number,
  tag: string,
  /** How long herald keeps running after history is complete, looking up receipts (profile --linger). */
  lingerMs = 0,
): Promise<Run> {
  const failures = lookUpFailureCounter();
  const h = await startBenchHerald(context, tag, sim.url, {}, failures.logger);
  try {
    // One vendor call per message, as the BullMQ worker makes: the bulk calls the batch lane makes
    // by default would compare different work (bench bulkVendorCalls measures them).
    await h.setLanes({ [LANE]: { ...DEFAULT_REMOTE_CONFIG.lanes[LANE], bulkVendorCalls: false } });
    const run = await measureHerald(
      context,
      sim,
      {
        send: h.send,
        historyLag: async () => (await h.herald.metrics.historyLag.get()).values[0]?.value ?? 0,
        laneMetrics: () => h.herald.metrics.registry.metrics(),
      },
      count,
      tag,
    );
    await sleep(lingerMs);
    return { ...run, lookUpFailures: { ...failures.counts } };
  } finally {
    await h.stop();
  }
}

/**
 * herald as deployed (bench/support/herald-processes.ts): an API process, a worker process for the
 * batch lane, a retry worker and a history writer, each a Node process; the simulator on a thread
 * of this process. The same work as runHerald, spread as production spreads it.
 */
async function runHeraldDeployed(
  context: BenchContext,
  sim: SimulatorThread,
  count: number,
  tag: string,
): Promise<Run> {
  const h = await startHeraldProcesses(context, tag, sim.url, [LANE]);
  try {
    await h.setLanes({ [LANE]: { ...DEFAULT_REMOTE_CONFIG.lanes[LANE], bulkVendorCalls: false } });
    const worker = h.workerUrls[0]!;
    return await measureHerald(
      context,
      sim,
      {
        send: h.send,
        historyLag: () => scrapeHistoryLag(h.historyWriterUrl),
        laneMetrics: async () => (await fetch(`${worker}/metrics`)).text(),
      },
      count,
      tag,
      h.pids,
    );
  } finally {
    await h.stop();
  }
}

/**
 * Warm-up, then `count` messages in 100-recipient requests, timed from the first request to the
 * last vendor receipt; then waits until every message's history is complete in PostgreSQL.
 */
async function measureHerald(
  context: BenchContext,
  sim: DeliverySource,
  herald: HeraldUnderTest,
  count: number,
  tag: string,
  /** herald's processes to count CPU time of, as deployed. */
  pids: Readonly<Record<string, number>> = {},
): Promise<Run> {
  const deliveries = countDeliveries(sim);
  const lag = sampleHistoryLag(herald.historyLag);
  try {
    await herald.send(smsRequest(LANE, WARM_UP, 9_000_000, 'warm-up #{n}'));
    await waitUntil(() => deliveries.received >= WARM_UP);
    deliveries.received = 0;
    const cpu = cpuMeter(pids);
    const first = epochNowMs();
    await submitInChunks(count, REQUEST_SIZE, SUBMIT_CONCURRENCY, (offset, size) =>
      herald.send(smsRequest(LANE, size, offset, `${tag} #{n}`)),
    );
    await waitUntil(() => deliveries.received >= count);
    const history = await waitForCompleteHistory(
      context.databaseUrl,
      context.namespace(tag),
      count + WARM_UP,
      HISTORY_TIMEOUT_MS,
    );
    const cpuUse = cpu.per1k(count);
    const metrics = herald.laneMetrics();
    return {
      ...rateOf(count, first, deliveries.last),
      cpu: cpuUse,
      vendorCalls: await vendorCallSummary(metrics),
      historyCompleteAfterMs: Math.max(0, history.completeAt - deliveries.last),
      historyMaxLagSeconds: lag.max,
      deliveryChecks: await deliveryCheckSummary(metrics),
    };
  } finally {
    lag.stop();
    deliveries.stop();
  }
}

/**
 * BullMQ: Queue.addBulk from this process; the Worker either in this process too (beside the
 * simulator, as herald in one process) or in a process of its own (as deployed).
 */
async function runBullmq(
  redisUrl: string,
  sim: DeliverySource & { readonly url: string },
  count: number,
  tag: string,
  workerIn: 'in this process' | 'own process',
): Promise<Run> {
  const name = `${tag}-${randomUUID()}`;
  const queue = new Queue<OutboundMessage>(name, { connection: bullmqConnection(redisUrl) });
  const config = {
    redisUrl,
    queue: name,
    simulatorUrl: sim.url,
    credentialsDir: BENCH_CREDENTIALS_DIR,
    concurrency: CONCURRENCY,
  };
  const worker: { readonly pid?: number; stop(): Promise<void> } =
    workerIn === 'own process' ? await startBullmqWorkerProcess(config) : await startBullmqSmsWorker(config);
  const deliveries = countDeliveries(sim);
  try {
    const cpu = cpuMeter(worker.pid === undefined ? {} : { 'bullmq worker': worker.pid });
    const first = epochNowMs();
    await submitInChunks(count, REQUEST_SIZE, SUBMIT_CONCURRENCY, (offset, size) =>
      queue.addBulk(jobsFor(offset, size, tag)),
    );
    await waitUntil(() => deliveries.received >= count);
    return {
      ...rateOf(count, first, deliveries.last),
      cpu: cpu.per1k(count),
      vendorCalls: deliveries.byVendor,
    };
  } finally {
    deliveries.stop();
    await worker.stop();
    await queue.obliterate({ force: true });
    await queue.close();
  }
}

/** A simulator in this process or on a thread of it: both tell of every delivery. */
interface DeliverySource {
  onReceive(listener: ReceiveListener): () => void;
}

/**
 * Deliveries at the simulator from now on (in all and by vendor), and when the last one arrived;
 * stop() unsubscribes.
 */
function countDeliveries(sim: DeliverySource) {
  const deliveries = { received: 0, last: 0, byVendor: {} as Record<string, number>, stop: () => {} };
  deliveries.stop = sim.onReceive((event) => {
    deliveries.received += 1;
    const label = `${event.vendorId} received`;
    deliveries.byVendor[label] = (deliveries.byVendor[label] ?? 0) + 1;
    deliveries.last = event.receivedAt;
  });
  return deliveries;
}

function rateOf(count: number, first: number, last: number): Run {
  return { messages: count, ms: last - first, rate: count / ((last - first) / 1_000) };
}

/**
 * The same messages herald gets: same recipients, the body as herald renders it, the sender number
 * herald sends the bench client's SMS from (the development one), the lane herald's carry.
 */
function jobsFor(offset: number, size: number, tag: string) {
  const request = smsRequest(LANE, size, offset, `${tag} #{n}`);
  return request.recipients.map((r) => {
    const messageId = randomUUID();
    const data: OutboundMessage = {
      messageId,
      idempotencyKey: messageId,
      channel: 'sms',
      to: r.to,
      body: `${tag} ${r.vars.n}`,
      from: DEV_SENDER_NUMBER,
      lane: LANE,
      attempt: 1,
    };
    return { name: 'send', data, opts: { removeOnComplete: true, removeOnFail: 1_000 } };
  });
}

async function waitUntil(done: () => boolean, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`vsBullmq: not finished after ${timeoutMs} ms`);
    await sleep(20);
  }
}

function report(figures: Record<string, Figures>, messages: number): ScenarioResult {
  const zero = figures['0']!;
  const fifty = figures['50']!;
  const ratioZeroLatency = zero.herald.rate / zero.bullmq.rate;
  const ratio50ms = fifty.herald.rate / fifty.bullmq.rate;
  const deployedRatioZeroLatency = zero.heraldDeployed.rate / zero.bullmqDeployed.rate;
  const deployedRatio50ms = fifty.heraldDeployed.rate / fifty.bullmqDeployed.rate;
  const deployedJson = (f: Figures) => ({
    heraldMsgsPerSec: f.heraldDeployed.rate,
    bullmqMsgsPerSec: f.bullmqDeployed.rate,
    historyCompleteAfterMs: f.heraldDeployed.historyCompleteAfterMs,
    historyMaxLagSeconds: f.heraldDeployed.historyMaxLagSeconds,
    heraldVendorCalls: f.heraldDeployed.vendorCalls,
    heraldDeliveryChecks: f.heraldDeployed.deliveryChecks,
    bullmqVendorCalls: f.bullmqDeployed.vendorCalls,
    heraldCpuPer1k: f.heraldDeployed.cpu,
    bullmqCpuPer1k: f.bullmqDeployed.cpu,
  });
  const cpu = (r: Run) => {
    const use = r.cpu;
    if (use === undefined) return 'not measured';
    const own = Object.entries(use.processesPer1k).map(([name, seconds]) => `${name} ${seconds.toFixed(2)}`);
    return `${use.machinePer1k.toFixed(2)} s${own.length > 0 ? ` (${own.join(', ')})` : ''}`;
  };
  const rate = (r: Run) => `${r.rate.toFixed(0)} msgs/s (${(r.ms / 1_000).toFixed(1)} s)`;
  const history = (r: Run) =>
    `complete ${((r.historyCompleteAfterMs ?? Number.NaN) / 1_000).toFixed(1)} s after the last send, ` +
    `lag at most ${(r.historyMaxLagSeconds ?? Number.NaN).toFixed(1)} s`;
  return {
    parameters: {
      messages,
      channel: 'sms',
      heraldLane: LANE,
      concurrency: CONCURRENCY,
      requestOrAddBulkSize: REQUEST_SIZE,
      submitConcurrency: SUBMIT_CONCURRENCY,
      simulatorLatenciesMs: '0, 50 (p99 = 2x median)',
      bullmqRedis: 'private redis-server, removeOnComplete',
      oneProcess:
        "herald start (API, lanes, retry worker, history writer) or BullMQ's Queue and Worker in this process, beside the simulator and the client",
      asDeployed:
        'herald api, herald worker --lane batch, herald retry-worker, herald history-writer as processes; a BullMQ Worker process; the simulator on a thread of this process, the client (POSTs, addBulk) in it',
      heraldHistory: `full history; every message final in PostgreSQL checked after the run (fails after ${HISTORY_TIMEOUT_MS / 1_000} s), lag sampled every 0.5 s`,
    },
    rows: [
      { metric: 'herald, 0 ms vendor', value: rate(zero.herald) },
      { metric: 'herald history, 0 ms vendor', value: history(zero.herald) },
      { metric: 'BullMQ, 0 ms vendor', value: rate(zero.bullmq) },
      {
        metric: 'vsBullmq.ratioZeroLatency (herald / BullMQ)',
        value: ratioZeroLatency.toFixed(2),
        target: '>= 1.5',
        met: ratioZeroLatency >= 1.5,
      },
      { metric: 'herald, 50 ms vendor', value: rate(fifty.herald) },
      { metric: 'herald history, 50 ms vendor', value: history(fifty.herald) },
      { metric: 'BullMQ, 50 ms vendor', value: rate(fifty.bullmq) },
      {
        metric: 'vsBullmq.ratio50ms (herald / BullMQ)',
        value: ratio50ms.toFixed(2),
        target: '>= 1.5',
        met: ratio50ms >= 1.5,
      },
      {
        metric: 'machine CPU per 1,000 messages in one process, herald / BullMQ',
        value: `0 ms: ${cpu(zero.herald)} / ${cpu(zero.bullmq)}; 50 ms: ${cpu(fifty.herald)} / ${cpu(fifty.bullmq)}`,
      },
      { metric: 'herald as deployed, 0 ms vendor', value: rate(zero.heraldDeployed) },
      { metric: 'herald as deployed history, 0 ms vendor', value: history(zero.heraldDeployed) },
      { metric: 'BullMQ worker process, 0 ms vendor', value: rate(zero.bullmqDeployed) },
      { metric: 'as deployed, herald / BullMQ, 0 ms vendor', value: deployedRatioZeroLatency.toFixed(2) },
      { metric: 'machine CPU per 1,000 messages, herald as deployed, 0 ms', value: cpu(zero.heraldDeployed) },
      {
        metric: 'machine CPU per 1,000 messages, BullMQ worker process, 0 ms',
        value: cpu(zero.bullmqDeployed),
      },
      { metric: 'herald as deployed, 50 ms vendor', value: rate(fifty.heraldDeployed) },
      { metric: 'herald as deployed history, 50 ms vendor', value: history(fifty.heraldDeployed) },
      { metric: 'BullMQ worker process, 50 ms vendor', value: rate(fifty.bullmqDeployed) },
      { metric: 'as deployed, herald / BullMQ, 50 ms vendor', value: deployedRatio50ms.toFixed(2) },
      {
        metric: 'machine CPU per 1,000 messages, herald as deployed, 50 ms',
        value: cpu(fifty.heraldDeployed),
      },
      {
        metric: 'machine CPU per 1,000 messages, BullMQ worker process, 50 ms',
        value: cpu(fifty.bullmqDeployed),
      },
    ],
    json: {
      vsBullmq: {
        ratioZeroLatency,
        ratio50ms,
        zeroLatency: {
          heraldMsgsPerSec: zero.herald.rate,
          bullmqMsgsPerSec: zero.bullmq.rate,
          historyCompleteAfterMs: zero.herald.historyCompleteAfterMs,
          historyMaxLagSeconds: zero.herald.historyMaxLagSeconds,
          heraldVendorCalls: zero.herald.vendorCalls,
          bullmqVendorCalls: zero.bullmq.vendorCalls,
          heraldCpuPer1k: zero.herald.cpu,
          bullmqCpuPer1k: zero.bullmq.cpu,
        },
        latency50ms: {
          heraldMsgsPerSec: fifty.herald.rate,
          bullmqMsgsPerSec: fifty.bullmq.rate,
          historyCompleteAfterMs: fifty.herald.historyCompleteAfterMs,
          historyMaxLagSeconds: fifty.herald.historyMaxLagSeconds,
          heraldVendorCalls: fifty.herald.vendorCalls,
          bullmqVendorCalls: fifty.bullmq.vendorCalls,
          heraldCpuPer1k: fifty.herald.cpu,
          bullmqCpuPer1k: fifty.bullmq.cpu,
        },
        deployedRatioZeroLatency,
        deployedRatio50ms,
        deployedZeroLatency: deployedJson(zero),
        deployed50ms: deployedJson(fifty),
      },
    },
  };
}
