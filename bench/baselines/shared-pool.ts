import type { RemoteConfigDocument } from '../../src/core/domain/remote-config.ts';

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
  lanes: { batch: { batchSize: 100, maxInFlight: 3_000, metadataConcurrency: 24, sendConcurrency: 400 } },
};
