import type { Scenario } from '../scenario.ts';
import { apiWorstCase } from './api-worst-case.ts';
import { bulkVendorCalls } from './bulk-vendor-calls.ts';
import { costPerMessage } from './cost-per-message.ts';
import { distanceToLimit } from './distance-to-limit.ts';
import { laneIsolation } from './lane-isolation.ts';
import { pipelineVsNaive } from './pipeline-vs-naive.ts';
import { pushVsFirebaseAdmin } from './push-vs-firebase-admin.ts';
import { vsBullmq } from './vs-bullmq.ts';

/** Every scenario `npm run bench` runs, in this order. */
export const SCENARIOS: readonly Scenario[] = [
  pipelineVsNaive,
  laneIsolation,
  vsBullmq,
  bulkVendorCalls,
  distanceToLimit,
  costPerMessage,
  apiWorstCase,
  pushVsFirebaseAdmin,
];
