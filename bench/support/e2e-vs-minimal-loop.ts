import type { LaneSettings } from '../../src/core/domain/remote-config.ts';
import type { BenchContext } from '../scenario.ts';
import { type HeraldDrainOptions, type HeraldDrainResult, runHeraldDrain } from './herald-run.ts';
import { type MinimalLoopRunResult, runMinimalLoop } from './minimal-loop-run.ts';
import { type PairedRatio, pairedRounds, subjectFirst } from './paired-rounds.ts';
import { type SimulatorProcess, startSimulatorProcess } from './simulator-process.ts';

/** A herald drain and the vendor calls the simulator counted for it, per message. */
export interface CountedDrain extends HeraldDrainResult {
  readonly vendorCallsPerMessage: number;
}

export interface E2eVsMinimalLoop {
  /** herald's batch lane as configured by default (bulk vendor calls on). */
  readonly e2e: CountedDrain;
  /**
   * Rounds of herald's batch lane with bulk calls off (one call per message, the minimal loop's
   * vendor work) against the minimal loop, back to back in alternating order (paired-rounds.ts).
   */
  readonly oneCallVsMinimal: PairedRatio<CountedDrain, MinimalLoopRunResult>;
  /** herald's batch lane settings in the default run, which the minimal loop copies. */
  readonly lane: LaneSettings;
}

/**
 * herald's batch lane (default config), then `rounds` rounds of herald with bulk vendor calls off
 * and the minimal loop, each draining `count` same-sized envelopes through one zero-latency
 * simulator process. The minimal loop makes one call per message, so the herald run it is compared
 * with must too: with bulk calls on, herald makes a few calls per hundred messages and the ratio
 * would compare different work. The
 * loop takes herald's lane settings as the running herald had them (batch size, in-flight cap, send
 * pool), so both keep as many calls in flight. The one-call run and the minimal loop drain a burst
 * (produced once the consumer has joined, timed from the first produce); the default run a backlog,
 * as the scenario has always measured it (its ratio to raw consume stays comparable across runs).
 */
export async function e2eVsMinimalLoop(
  context: BenchContext,
  partitions: number,
  count: number,
  rounds: number,
): Promise<E2eVsMinimalLoop> {
  const simulator = await startSimulatorProcess({ medianMs: 0 });
  try {
    let lane: LaneSettings | undefined;
    // Progress: the default run from 0.3 to 0.36, then each of the rounds' runs an equal share to 0.65.
    const share = 0.29 / (2 * rounds);
    const drain = (name: string, from: number, span: number, options: Partial<HeraldDrainOptions>) =>
      countedDrain(simulator, {
        engines: context,
        namespace: context.namespace(name),
        partitions,
        count,
        simulator,
        produceFirst: true,
        progress: (f) => context.progress(from + span * f, `${name}, zero-latency vendor`),
        ...options,
      });
    const e2e = await drain('limit_e2e', 0.3, 0.06, {
      inspect: async (herald) => {
        lane = herald.config.current().lanes.batch;
      },
    });
    const batchLane = lane;
    if (!batchLane) throw new Error("herald's batch lane settings were not read");
    const startOf = (round: number, first: boolean) => 0.36 + share * (2 * round + (first ? 0 : 1));
    const oneCallVsMinimal = await pairedRounds(rounds, {
      // A burst: a lane setting reaches the lane through remote config once herald runs, so on a
      // backlog its first batches would go out before it. The minimal loop is timed on a burst too.
      subject: (round) =>
        drain(`limit_e2e1_r${round}`, startOf(round, subjectFirst(round)), share, {
          produceFirst: false,
          batchLane: { bulkVendorCalls: false },
        }),
      baseline: (round) => {
        const name = `limit_min_r${round}`;
        const from = startOf(round, !subjectFirst(round));
        return runMinimalLoop({
          engines: context,
          namespace: context.namespace(name),
          partitions,
          count,
          simulator,
          lane: batchLane,
          progress: (f) => context.progress(from + share * f, `${name}, minimal loop, zero-latency vendor`),
        });
      },
    });
    return { e2e, oneCallVsMinimal, lane: batchLane };
  } finally {
    await simulator.close();
  }
}

async function countedDrain(simulator: SimulatorProcess, options: HeraldDrainOptions): Promise<CountedDrain> {
  const callsBefore = (await simulator.totals()).calls;
  const result = await runHeraldDrain(options);
  const calls = (await simulator.totals()).calls - callsBefore;
  return { ...result, vendorCallsPerMessage: calls / options.count };
}
