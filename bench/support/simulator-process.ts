import type { LatencyDistribution } from '../../src/simulators/behaviour.ts';
import { spawnHerald } from '../../test/support/child-processes.ts';
import { simulatorTotals, type VendorCounts } from '../../test/support/sim-totals.ts';
import { BENCH_CREDENTIALS_DIR } from './bench-engines.ts';

/** A `herald sim` process: the vendors, off the CPU of the herald being measured. */
export interface SimulatorProcess {
  readonly url: string;
  /** Distinct message ids delivered, summed over every vendor (GET /_sim/stats). */
  distinctDelivered(): Promise<number>;
  /** Every count of GET /_sim/stats summed over the vendors (deliveries, calls...). */
  totals(): Promise<VendorCounts>;
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
      // The accounts herald's adapters sign with (benchHeraldEnv): else every call fails its auth.
      '--credentials-dir',
      BENCH_CREDENTIALS_DIR,
    ],
    {},
    60_000,
  );
  return {
    url: child.url,
    distinctDelivered: async () => (await simulatorTotals(child.url)).distinct,
    totals: () => simulatorTotals(child.url),
    close: () => child.kill('SIGTERM'),
  };
}
