import type { BenchContext, Scenario, ScenarioResult } from '../scenario.ts';
import { type EngineUrls, fixed } from '../support/bench-engines.ts';
import { type HeraldDrainResult, runHeraldDrain } from '../support/herald-run.ts';
import { type SimulatorProcess, startSimulatorProcess } from '../support/simulator-process.ts';

const PARTITIONS = 8;
/** A Korean SMS vendor's answer time over the internet: what each call costs, bulk or not. */
const LATENCY = { medianMs: 50, p99Ms: 150, outlierShare: 0, outlierMs: 0 };
const MESSAGES = 100_000;
/** The batch lane takes bigger polls when it bulks: a group can only be as large as a poll. */
const POLL = { batchSize: 500, maxInFlight: 4_000 };

/**
 * A batch flood of one content (a notice to 100,000 customers) through the default config's three
 * real SMS adapters (NHN 50, SENS 30, SOLAPI 20) at a 50 ms simulator in its own process: the batch
 * lane once with one vendor call per message, once with bulk calls (NHN recipientList up to 1,000,
 * SENS messages up to 100, SOLAPI send-many up to 1,000). The simulated vendors count the calls
 * they receive; throughput runs from the first produce to the last delivery.
 */
export const bulkVendorCalls: Scenario = {
  name: 'bulkVendorCalls',
  async run(context: BenchContext): Promise<ScenarioResult> {
    const engines: EngineUrls = context;
    const count = Math.max(2_000, Math.round(MESSAGES * context.scale));
    const simulator = await startSimulatorProcess(LATENCY);
    try {
      context.progress(0, 'batch lane, one call per message');
      const single = await drain(context, engines, simulator, count, false, (f) =>
        context.progress(0.5 * f, 'batch lane, one call per message'),
      );
      const bulk = await drain(context, engines, simulator, count, true, (f) =>
        context.progress(0.5 + 0.5 * f, 'batch lane, bulk vendor calls'),
      );
      const throughputRatio = bulk.run.perSecond / single.run.perSecond;
      return {
        parameters: {
          messages: count,
          partitions: PARTITIONS,
          latency: `median ${LATENCY.medianMs} ms, p99 ${LATENCY.p99Ms} ms per call, whatever it carries`,
          lane: `batch, batchSize ${POLL.batchSize}, maxInFlight ${POLL.maxInFlight}, default sendConcurrency; one content, sender 02-1234-5678`,
          routing:
            'default config: nhn-sms 50, sens-sms 30, solapi-sms 20, real adapters, simulator in its own process',
        },
        rows: [
          {
            metric: 'one call per message: vendor calls per message',
            value: fixed(single.callsPerMessage, 4),
          },
          { metric: 'bulk: vendor calls per message', value: fixed(bulk.callsPerMessage, 4) },
          { metric: 'one call per message: msgs/s', value: fixed(single.run.perSecond) },
          { metric: 'bulk: msgs/s', value: fixed(bulk.run.perSecond) },
          { metric: 'bulk / one call per message, throughput', value: `${fixed(throughputRatio, 2)}x` },
          ...[single, bulk]
            .filter(({ run }) => run.stall)
            .map(({ run }) => ({ metric: 'run incomplete', value: run.stall!, met: false })),
        ],
        json: {
          bulkVendorCalls: {
            messages: count,
            singleCallsPerMessage: single.callsPerMessage,
            bulkCallsPerMessage: bulk.callsPerMessage,
            singlePerSecond: single.run.perSecond,
            bulkPerSecond: bulk.run.perSecond,
            throughputRatio,
          },
        },
      };
    } finally {
      await simulator.close();
    }
  },
};

async function drain(
  context: BenchContext,
  engines: EngineUrls,
  simulator: SimulatorProcess,
  count: number,
  bulkVendorCalls: boolean,
  progress: (fraction: number) => void,
): Promise<{ run: HeraldDrainResult; callsPerMessage: number }> {
  const before = await simulator.totals();
  const run = await runHeraldDrain({
    engines,
    namespace: context.namespace(bulkVendorCalls ? 'bvc_bulk' : 'bvc_single'),
    partitions: PARTITIONS,
    count,
    simulator,
    produceFirst: false,
    batchLane: { ...POLL, bulkVendorCalls },
    progress,
  });
  const after = await simulator.totals();
  return {
    run,
    callsPerMessage: (after.calls - before.calls) / Math.max(1, after.distinct - before.distinct),
  };
}
