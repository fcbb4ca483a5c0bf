/**
 * The API's herald_accept_stage_seconds (src/core/submission/accept-stages.ts), read from its
 * /metrics before and after a stretch of the bench: each stage's p99 over that stretch alone, from
 * the difference of the two readings' buckets. A bucketed p99 is the upper bound of the bucket it
 * falls in (prom-client's buckets: 1, 2.5, 5, 10, 25, 50, 100, 250 ms...), so it says which stage
 * an accept's time goes to, not its exact value.
 */
const METRIC = 'herald_accept_stage_seconds_bucket';

/** Cumulative count per stage per bucket upper bound (seconds; Infinity for +Inf). */
export type StageBuckets = Map<string, Map<number, number>>;

/** The stages of accepts of `recipients` (the metric's label: 1, 2-10, 11-100). */
export async function readAcceptStages(apiUrl: string, recipients: string): Promise<StageBuckets> {
  const response = await fetch(`${apiUrl}/metrics`, { signal: AbortSignal.timeout(5_000) });
  const buckets: StageBuckets = new Map();
  for (const line of (await response.text()).split('\n')) {
    if (!line.startsWith(`${METRIC}{`) || !line.includes(`recipients="${recipients}"`)) continue;
    const stage = /stage="([^"]+)"/.exec(line)?.[1];
    const le = /le="([^"]+)"/.exec(line)?.[1];
    if (stage === undefined || le === undefined) continue;
    const byBound = buckets.get(stage) ?? new Map<number, number>();
    buckets.set(stage, byBound);
    byBound.set(
      le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le),
      Number(line.slice(line.lastIndexOf(' ') + 1)),
    );
  }
  return buckets;
}

/** Per stage, the accepts counted between the readings and their bucketed p50 and p99, in ms. */
export function stagePercentiles(
  before: StageBuckets,
  after: StageBuckets,
): Record<string, { readonly count: number; readonly p50Ms: number; readonly p99Ms: number }> {
  const result: Record<string, { count: number; p50Ms: number; p99Ms: number }> = {};
  for (const [stage, byBound] of after) {
    const bounds = [...byBound.keys()].sort((a, b) => a - b);
    const counts = bounds.map((bound) => byBound.get(bound)! - (before.get(stage)?.get(bound) ?? 0));
    const total = counts.at(-1) ?? 0;
    if (total === 0) continue;
    const at = (q: number) => bounds[counts.findIndex((count) => count >= q * total)]! * 1_000;
    result[stage] = { count: total, p50Ms: at(0.5), p99Ms: at(0.99) };
  }
  return result;
}
