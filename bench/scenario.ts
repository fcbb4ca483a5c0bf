/**
 * One benchmark scenario. `npm run bench` runs every registered scenario in one process, one after
 * the other, and prints one Markdown table and one JSON file for the whole run. Figures that are
 * compared are ratios measured in the same run (these machines are shared and noisy); absolute
 * rates are printed for context only.
 */
export interface BenchContext {
  /** Engines to run against (the production engines started by .ci/run / scripts/kafka.sh). */
  readonly kafkaBrokers: string;
  readonly redisUrl: string;
  readonly databaseUrl: string;
  /** Scale factor from `--quick` (0.1) or 1; scenarios multiply their message counts by it. */
  readonly scale: number;
  /** Reports progress of the running scenario, 0..1, for the progress bar. */
  progress(fraction: number, label?: string): void;
  /** A unique namespace for topics, groups, Redis keys and schemas of this scenario run. */
  namespace(name: string): string;
}

export interface ScenarioResult {
  /** Parameters that let anyone repeat the run (counts, partitions, latencies...). */
  readonly parameters: Record<string, string | number>;
  /** Rows for the Markdown table: metric, value, and optionally the target and whether it was met. */
  readonly rows: readonly { metric: string; value: string; target?: string; met?: boolean }[];
  /** Fields merged into the run's JSON (e.g. { pipelineVsNaive: { ratio } }). */
  readonly json: Record<string, unknown>;
  /** Files written next to the JSON (e.g. an SVG chart), relative to bench/results. */
  readonly files?: readonly string[];
}

export interface Scenario {
  readonly name: string;
  run(context: BenchContext): Promise<ScenarioResult>;
}
