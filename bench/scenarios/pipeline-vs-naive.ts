import { SIMULATOR_VENDOR_CHANNELS } from '../../src/config/default-remote-config.ts';
import { sendTopic } from '../../src/core/pipeline/topics.ts';
import { createSimulatorVendor } from '../../src/vendors/http-simulator-vendor.ts';
import { startNaiveConsumers } from '../baselines/naive-consumer.ts';
import type { BenchContext, Scenario, ScenarioResult } from '../scenario.ts';
import {
  benchTransport,
  cleanUpNamespace,
  type EngineUrls,
  fixed,
  produceAll,
  smsEnvelopes,
  waitUntil,
} from '../support/bench-engines.ts';
import { runHeraldDrain } from '../support/herald-run.ts';
import { startSimulatorProcess } from '../support/simulator-process.ts';

const PARTITIONS = 8;
const LATENCY = { medianMs: 50, p99Ms: 150, outlierShare: 0.001, outlierMs: 3_000 };
const VENDOR_TIMEOUT_MS = 5_000;
/** Sized so the naive side takes ~40 s at full scale (8 loops x ~50 ms => ~150 msg/s). */
const NAIVE_MESSAGES = 6_000;
const HERALD_MESSAGES = 20_000;
/** A second herald run with larger pools (remote config only), to show where the default caps it. */
const TUNED = { sendConcurrency: 1_000, maxInFlight: 4_000 };
/**
 * One vendor call per message on both sides: this compares the pipeline's concurrency with a
 * serial loop, not bulk calls (bench bulkVendorCalls measures those).
 */
const ONE_CALL_PER_MESSAGE = { bulkVendorCalls: false };
const TARGET = 50;

/**
 * Same topic layout, same 8 partitions, same simulator and HTTP vendor adapter: the talk's
 * consume-send-commit loop (one serial loop per partition) against herald's batch lane.
 */
export const pipelineVsNaive: Scenario = {
  name: 'pipelineVsNaive',
  async run(context: BenchContext): Promise<ScenarioResult> {
    const engines: EngineUrls = context;
    const naiveCount = Math.max(400, Math.round(NAIVE_MESSAGES * context.scale));
    const heraldCount = Math.max(2_000, Math.round(HERALD_MESSAGES * context.scale));
    const simulator = await startSimulatorProcess(LATENCY);
    try {
      context.progress(0, 'naive consume-send-commit');
      const naive = await runNaive(context, engines, simulator.url, naiveCount);
      context.progress(0.4, 'herald batch lane (default config)');
      const herald = await runHeraldDrain({
        engines,
        namespace: context.namespace('pvn_herald'),
        partitions: PARTITIONS,
        count: heraldCount,
        simulator,
        produceFirst: false,
        batchLane: ONE_CALL_PER_MESSAGE,
        progress: (f) => context.progress(0.4 + 0.3 * f, 'herald batch lane (default config)'),
      });
      const tuned = await runHeraldDrain({
        engines,
        namespace: context.namespace('pvn_tuned'),
        partitions: PARTITIONS,
        count: heraldCount,
        simulator,
        produceFirst: false,
        batchLane: { ...TUNED, ...ONE_CALL_PER_MESSAGE },
        progress: (f) => context.progress(0.7 + 0.3 * f, 'herald batch lane (larger pools)'),
      });
      const ratio = herald.perSecond / naive.perSecond;
      const ratioTuned = tuned.perSecond / naive.perSecond;
      return {
        parameters: {
          partitions: PARTITIONS,
          latency: `median ${LATENCY.medianMs} ms, p99 ${LATENCY.p99Ms} ms, ${LATENCY.outlierShare * 100}% at ${LATENCY.outlierMs} ms`,
          naive: `${naiveCount} msgs, one group member, one serial loop per partition (${PARTITIONS}): consume, send, wait, commit`,
          herald: `${heraldCount} msgs produced in one burst after the batch lane joined; timed to the last simulator receipt`,
          fairness:
            'different counts on purpose (naive is slow); both figures are msgs/s, measured in this run; ' +
            'one vendor call per message on both sides (herald with lanes.batch.bulkVendorCalls off)',
          tuned: `second herald run with batch lane sendConcurrency ${TUNED.sendConcurrency}, maxInFlight ${TUNED.maxInFlight} (remote config)`,
        },
        rows: [
          { metric: 'naive consume-send-commit, msgs/s', value: fixed(naive.perSecond) },
          {
            metric: 'herald batch lane (default config), msgs/s',
            value: `${fixed(herald.perSecond)} (herald process ${fixed(herald.cpuCores, 2)} cores)`,
          },
          {
            metric: 'herald batch lane (larger pools), msgs/s',
            value: `${fixed(tuned.perSecond)} (herald process ${fixed(tuned.cpuCores, 2)} cores)`,
          },
          {
            metric: 'herald / naive (default config)',
            value: `${fixed(ratio)}x`,
            target: `>= ${TARGET}x`,
            met: ratio >= TARGET,
          },
          {
            metric: 'herald / naive (larger pools)',
            value: `${fixed(ratioTuned)}x`,
            target: `>= ${TARGET}x`,
            met: ratioTuned >= TARGET,
          },
          {
            metric: 'herald commits per message (default config)',
            value: fixed(herald.commits / heraldCount, 4),
          },
          ...[herald, tuned]
            .filter((run) => run.stall)
            .map((run) => ({ metric: 'herald run incomplete', value: run.stall!, met: false })),
          { metric: 'naive vendor failures', value: String(naive.failures) },
          { metric: 'naive max calls in flight per partition', value: String(naive.maxInFlight) },
        ],
        json: {
          pipelineVsNaive: {
            ratio,
            ratioTuned,
            naivePerSecond: naive.perSecond,
            heraldPerSecond: herald.perSecond,
            heraldTunedPerSecond: tuned.perSecond,
            naiveMessages: naiveCount,
            heraldMessages: heraldCount,
          },
        },
      };
    } finally {
      await simulator.close();
    }
  },
};

async function runNaive(
  context: BenchContext,
  engines: EngineUrls,
  simulatorUrl: string,
  count: number,
): Promise<{ perSecond: number; failures: number; maxInFlight: number }> {
  const namespace = context.namespace('pvn_naive');
  const transport = await benchTransport(engines.kafkaBrokers, namespace, PARTITIONS);
  const vendor = createSimulatorVendor({
    id: 'nhn-sms',
    channels: SIMULATOR_VENDOR_CHANNELS['nhn-sms'],
    baseUrl: simulatorUrl,
  });
  let done = 0;
  const group = await startNaiveConsumers({
    brokers: engines.kafkaBrokers.split(','),
    group: `${namespace}.naive`,
    topic: `${namespace}.${sendTopic('batch', 'sms')}`,
    partitions: PARTITIONS,
    vendor,
    vendorTimeoutMs: VENDOR_TIMEOUT_MS,
    onDone: () => {
      done++;
    },
  });
  const ticker = setInterval(() => context.progress(0.4 * (done / count), 'naive consume-send-commit'), 250);
  try {
    await group.ready(60_000);
    const startedAt = Date.now();
    await produceAll(transport, smsEnvelopes(count));
    await waitUntil(() => done >= count, Math.max(300_000, count * 100), `${count} naive sends`);
    return {
      perSecond: (count * 1_000) / (Date.now() - startedAt),
      failures: group.failures,
      maxInFlight: group.maxInFlight,
    };
  } finally {
    clearInterval(ticker);
    await group.close();
    await vendor.close();
    await transport.close();
    await cleanUpNamespace(engines, namespace);
  }
}
