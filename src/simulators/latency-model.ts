import type { LatencyDistribution } from './behaviour.ts';
import { type RandomSource, sampleStandardNormal } from './seeded-random.ts';

/** z-score of the 99th percentile of the standard normal distribution. */
const Z_99 = 2.326_347_874;

/**
 * Draws one latency in ms. The log-normal body has mu = ln(median) and sigma chosen so that
 * exp(mu + Z_99 * sigma) = p99, i.e. sigma = ln(p99 / median) / Z_99. A median of 0 means "answer
 * at once" (log-normal has no zero median), and p99 = median means a constant latency.
 */
export function sampleLatencyMs(latency: LatencyDistribution, random: RandomSource): number {
  if (latency.outlierShare > 0 && random() < latency.outlierShare) return latency.outlierMs;
  if (latency.medianMs === 0) return 0;
  if (latency.p99Ms <= latency.medianMs) return latency.medianMs;
  const sigma = Math.log(latency.p99Ms / latency.medianMs) / Z_99;
  return latency.medianMs * Math.exp(sigma * sampleStandardNormal(random));
}
