import type { LatencyDistribution } from '../../src/simulators/behaviour.ts';
import { spawnHerald } from '../../test/support/child-processes.ts';
import { simulatorTotals } from '../../test/support/sim-totals.ts';

/** A `herald sim` process: the vendors, off the CPU of the herald being measured. */
export interface SimulatorProcess {
  readonly url: string;
  /** Distinct message ids delivered, summed over every vendor (GET /_sim/stats). */
  distinctDelivered(): Promise<number>;
  close(): Promise<void>;
}

/**
 * Starts the simulator as its own process with every vendor at `latency`. A real vendor runs on
 * other machines; hosting it in herald's process would bill its HTTP server (about a third of the
 * CPU at zero latency) to herald.
 */
export async function startSimulatorProcess(
  latency: Partial<LatencyDistribution>,
): Promise<SimulatorProcess> {
  const medianMs = latency.medianMs ?? 0;
  const child = await spawnHerald(
    [
      'sim',
      '--port',
      '0',
      '--latency-ms',
      String(medianMs),
      '--p99-ms',
      String(latency.p99Ms ?? medianMs),
      '--outlier-share',
      String(latency.outlierShare ?? 0),
      '--outlier-ms',
      String(latency.outlierMs ?? 0),
    ],
    {},
    60_000,
  );
  return {
    url: child.url,
    distinctDelivered: async () => (await simulatorTotals(child.url)).distinct,
    close: () => child.kill('SIGTERM'),
  };
}
