import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { sampleHistoryLag } from '../../drills/support/history-lag.ts';
import { DEV_SENDER_NUMBER } from '../../src/app/dev-senders.ts';
import { DEFAULT_REMOTE_CONFIG } from '../../src/config/default-remote-config.ts';
import type { OutboundMessage } from '../../src/core/domain/message.ts';
import type { SimulatorServer } from '../../src/simulators/simulator-server.ts';
import { RedisServerProcess } from '../../test/support/redis-server-process.ts';
import type { BenchContext, Scenario, ScenarioResult } from '../scenario.ts';
import { benchSmsVendors } from '../support/bench-sms-vendors.ts';
import { waitForCompleteHistory } from '../support/history-completeness.ts';
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
 * scenario waits until the history of every message is complete (the history writer, in herald's
 * process, folds the history log into PostgreSQL) and fails if it is not within HISTORY_TIMEOUT_MS;
 * it reports how long after the last send that was, and the history lag sampled over the run.
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
  /** herald: failed receipt look-up calls by vendor and error code (each fails its whole chunk). */
  readonly lookUpFailures?: Record<string, number>;
}

export const vsBullmq: Scenario = {
  name: 'vsBullmq',
  async run(context: BenchContext): Promise<ScenarioResult> {
    const messages = Math.max(1_000, Math.round(FULL_MESSAGES * context.scale));
    const redis = await RedisServerProcess.start();
    try {
      const figures: Record<string, { herald: Run; bullmq: Run }> = {};
      const latencies = [0, 50];
      for (const [i, latencyMs] of latencies.entries()) {
        const sim = await startBenchSimulators(latencyMs);
        try {
          const step = (part: number, label: string) =>
            context.progress((i + part) / latencies.length, `${latencyMs} ms: ${label}`);
          step(0, 'herald');
          const herald = await runHerald(context, sim, messages, `vb${latencyMs}`);
          step(0.5, 'bullmq');
          const bullmq = await runBullmq(redis.url, sim, messages, `vb${latencyMs}`);
          figures[`${latencyMs}`] = { herald, bullmq };
        } finally {
          await sim.close();
        }
      }
      return report(figures, messages);
    } finally {
      await redis.dispose();
    }
  },
};

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
  // One vendor call per message, as the BullMQ worker makes: the bulk calls the batch lane makes
  // by default would compare different work (bench bulkVendorCalls measures them).
  await h.setLanes({ [LANE]: { ...DEFAULT_REMOTE_CONFIG.lanes[LANE], bulkVendorCalls: false } });
  const deliveries = countDeliveries(sim);
  const lag = sampleHistoryLag(async () => (await h.herald.metrics.historyLag.get()).values[0]?.value ?? 0);
  try {
    await h.send(smsRequest(LANE, WARM_UP, 9_000_000, 'warm-up #{n}'));
    await waitUntil(() => deliveries.received >= WARM_UP);
    deliveries.received = 0;
    const first = epochNowMs();
    await submitInChunks(count, REQUEST_SIZE, SUBMIT_CONCURRENCY, (offset, size) =>
      h.send(smsRequest(LANE, size, offset, `${tag} #{n}`)),
    );
    await waitUntil(() => deliveries.received >= count);
    const history = await waitForCompleteHistory(
      context.databaseUrl,
      context.namespace(tag),
      count + WARM_UP,
      HISTORY_TIMEOUT_MS,
    );
    const vendorCalls = await vendorCallSummary(h.herald.metrics.registry.metrics());
    await sleep(lingerMs);
    return {
      ...rateOf(count, first, deliveries.last),
      vendorCalls,
      historyCompleteAfterMs: Math.max(0, history.completeAt - deliveries.last),
      historyMaxLagSeconds: lag.max,
      deliveryChecks: await deliveryCheckSummary(h.herald.metrics.registry.metrics()),
      lookUpFailures: { ...failures.counts },
    };
  } finally {
    lag.stop();
    deliveries.stop();
    await h.stop();
  }
}

async function runBullmq(redisUrl: string, sim: SimulatorServer, count: number, tag: string): Promise<Run> {
  const { hostname, port } = new URL(redisUrl);
  const connection = { host: hostname, port: Number(port), maxRetriesPerRequest: null };
  const name = `${tag}-${randomUUID()}`;
  const vendors = await benchSmsVendors(sim.url);
  const queue = new Queue<OutboundMessage>(name, { connection });
  const worker = new Worker<OutboundMessage>(
    name,
    async (job) => {
      await vendors.pick().send(job.data, AbortSignal.timeout(5_000));
    },
    { connection, concurrency: CONCURRENCY, autorun: true },
  );
  const deliveries = countDeliveries(sim);
  try {
    await worker.waitUntilReady();
    const first = epochNowMs();
    await submitInChunks(count, REQUEST_SIZE, SUBMIT_CONCURRENCY, (offset, size) =>
      queue.addBulk(jobsFor(offset, size, tag)),
    );
    await waitUntil(() => deliveries.received >= count);
    return { ...rateOf(count, first, deliveries.last), vendorCalls: deliveries.byVendor };
  } finally {
    deliveries.stop();
    await worker.close();
    await queue.obliterate({ force: true });
    await queue.close();
    await vendors.close();
  }
}

/**
 * Deliveries at the simulator from now on (in all and by vendor), and when the last one arrived;
 * stop() unsubscribes.
 */
function countDeliveries(sim: SimulatorServer) {
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

function report(figures: Record<string, { herald: Run; bullmq: Run }>, messages: number): ScenarioResult {
  const zero = figures['0']!;
  const fifty = figures['50']!;
  const ratioZeroLatency = zero.herald.rate / zero.bullmq.rate;
  const ratio50ms = fifty.herald.rate / fifty.bullmq.rate;
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
        },
        latency50ms: {
          heraldMsgsPerSec: fifty.herald.rate,
          bullmqMsgsPerSec: fifty.bullmq.rate,
          historyCompleteAfterMs: fifty.herald.historyCompleteAfterMs,
          historyMaxLagSeconds: fifty.herald.historyMaxLagSeconds,
          heraldVendorCalls: fifty.herald.vendorCalls,
          bullmqVendorCalls: fifty.bullmq.vendorCalls,
        },
      },
    },
  };
}
