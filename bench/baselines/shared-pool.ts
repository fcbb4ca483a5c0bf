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
}

export const HERALD_LANES: LanePlan = { label: 'herald', trickleLane: 'realtime', floodLane: 'batch' };

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
