import { DEFAULT_REMOTE_CONFIG } from '../../src/config/default-remote-config.ts';
import type { LaneSettings, RemoteConfigDocument } from '../../src/core/domain/remote-config.ts';

/**
 * How the lane-isolation scenario routes its two streams. herald as built sends the realtime
 * trickle on lane `realtime` and the flood on lane `batch`: separate topics, consumer groups and
 * pools. The baseline is the talk's platform before its rework, ONE shared pool: the same herald
 * pipeline, but trickle and flood both go through the batch lane's topics, consumer group and
 * pools. So that only the separation differs, the shared lane gets the sum of the two lanes'
 * budgets (in-flight records, metadata and send concurrency) of the default remote config.
 */
export interface LanePlan {
  readonly label: string;
  readonly trickleLane: 'realtime' | 'batch';
  readonly floodLane: 'batch';
  /** Lane budgets changed through PUT /admin/config before the run. */
  readonly lanes?: Partial<RemoteConfigDocument['lanes']>;
  /** Vendors' `maxPerSecond` set before the run; absent: the flood goes at the machine's limit. */
  readonly vendorRates?: Readonly<Record<string, number>>;
}

export const HERALD_LANES: LanePlan = { label: 'herald', trickleLane: 'realtime', floodLane: 'batch' };

/**
 * herald as production runs it: each SMS vendor paced to a contract rate, split as the routing
 * weights 50/30/20 split the traffic, so the batch flood goes at the vendors' rate and the realtime
 * lane keeps a rate of its own. A deployment is sized so that its vendors' contracts, not its CPU,
 * bound a flood: the rates total VENDOR_RATE_SHARE of what this machine drains at its limit
 * (measured in the same run by the HERALD_LANES variant). Fixed rates (1,000/s before) sat above
 * that limit on 2 cores whenever the machine was slower, and the variant was another
 * machine-limit run.
 */
export function heraldLanesAtVendorRate(machineLimitPerSecond: number): LanePlan {
  const total = Math.max(10, Math.floor(machineLimitPerSecond * VENDOR_RATE_SHARE));
  return {
    label: 'herald at vendor rate',
    trickleLane: 'realtime',
    floodLane: 'batch',
    vendorRates: {
      'nhn-sms': Math.round(total * 0.5),
      'sens-sms': Math.round(total * 0.3),
      'solapi-sms': Math.round(total * 0.2),
    },
  };
}

export const VENDOR_RATE_SHARE = 0.5;

export const SHARED_POOL: LanePlan = {
  label: 'shared pool',
  trickleLane: 'batch',
  floodLane: 'batch',
  lanes: { batch: sumOf(DEFAULT_REMOTE_CONFIG.lanes.realtime, DEFAULT_REMOTE_CONFIG.lanes.batch) },
};

function sumOf(a: LaneSettings, b: LaneSettings): LaneSettings {
  return {
    batchSize: Math.max(a.batchSize, b.batchSize),
    maxInFlight: a.maxInFlight + b.maxInFlight,
    metadataConcurrency: a.metadataConcurrency + b.metadataConcurrency,
    sendConcurrency: a.sendConcurrency + b.sendConcurrency,
  };
}
