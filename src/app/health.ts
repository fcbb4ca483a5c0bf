import type { LaneWorker } from '../core/pipeline/lane-worker.ts';
import type { VendorKind } from '../ports/vendor.ts';
import type { Stores } from './stores.ts';

export interface HealthReport {
  readonly ready: boolean;
  readonly components: Record<string, { ok: boolean; detail?: string }>;
  /** What stands behind each vendor: a simulator (in this process or its own) or the real one. */
  readonly vendors: Readonly<Record<string, VendorKind>>;
}

/** A lane that has not polled for this long is stuck (polling never waits on vendors). */
const LANE_STALL_MS = 10_000;

/**
 * Ready means herald can accept and persist messages now: the transport and history store answer,
 * every lane polls, a retry worker's schedule store answers, and no shutdown is under way. Each component says why it is not ok.
 */
export async function checkHealth(input: {
  stores: Stores;
  lanes: readonly LaneWorker[];
  vendors: Readonly<Record<string, VendorKind>>;
  /** Whether this process runs retry workers, which need the schedule store to park and release. */
  schedule?: boolean;
  stopping: boolean;
}): Promise<HealthReport> {
  const components: Record<string, { ok: boolean; detail?: string }> = {};
  const probe = async (name: string, check: () => Promise<boolean>) => {
    try {
      const ok = await check();
      components[name] = ok ? { ok } : { ok, detail: 'not answering' };
    } catch (error) {
      components[name] = { ok: false, detail: error instanceof Error ? error.message : String(error) };
    }
  };
  await Promise.all([
    probe('transport', () => input.stores.transport.healthy()),
    probe('history', () => input.stores.history.healthy()),
    probe('config', () => input.stores.config.healthy()),
    ...(input.schedule ? [probe('schedule', () => input.stores.schedule.healthy())] : []),
  ]);
  const now = Date.now();
  for (const lane of input.lanes) {
    const idle = now - lane.lastPollAt;
    components[`lane:${lane.lane}`] =
      lane.lastPollAt > 0 && idle < LANE_STALL_MS
        ? { ok: true, detail: `${lane.pending} in flight` }
        : { ok: false, detail: lane.lastPollAt > 0 ? `no poll for ${idle} ms` : 'not polling yet' };
  }
  if (input.stopping) components.shutdown = { ok: false, detail: 'shutting down' };
  return { ready: Object.values(components).every((c) => c.ok), components, vendors: input.vendors };
}
