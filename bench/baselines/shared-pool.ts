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
 * herald as production runs it: each SMS vendor paced to a contract rate (1,000 messages/s in
 * all, split as the routing weights 50/30/20 split the traffic), per lane, so the batch flood
 * goes at the vendors' rate and the realtime lane keeps a rate of its own.
 */
export const HERALD_LANES_AT_VENDOR_RATE: LanePlan = {
  label: 'herald at vendor rate',
  trickleLane: 'realtime',
  floodLane: 'batch',
  vendorRates: { 'nhn-sms': 500, 'sens-sms': 300, 'solapi-sms': 200 },
};

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
