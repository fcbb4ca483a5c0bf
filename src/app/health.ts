import type { Lane } from '../core/domain/lane.ts';
import type { ConsumerStatus } from '../core/pipeline/poll-loop.ts';
import type { VendorKind } from '../ports/vendor.ts';

/** Anything that can say whether it answers: the stores of this process. */
interface Probed {
  healthy(): Promise<boolean>;
}

export interface ComponentHealth {
  readonly ok: boolean;
  readonly detail?: string;
}

export interface HealthReport {
  readonly ready: boolean;
  readonly components: Record<string, ComponentHealth>;
  /** What stands behind each vendor: a simulator (in this process or its own) or the real one. */
  readonly vendors: Readonly<Record<string, VendorKind>>;
}

/** A consumer of this process, as /health sees it. */
export interface RunningConsumer {
  readonly lane: Lane;
  status(): ConsumerStatus;
}

export interface HealthInput {
  readonly stores: Readonly<Record<'transport' | 'history' | 'config' | 'dedup', Probed>> & {
    /** Open in processes that run retry workers. */
    readonly schedule?: Probed;
    /** Open in processes that run the API or lane workers (PUT /v1/devices, `{"userId"}` fan-out). */
    readonly devices?: Probed | undefined;
    /** MMS images; open where the device registry is (see stores.ts). */
    readonly media?: Probed | undefined;
    /** Open in processes that run the API (sender numbers, Kakao channels). */
    readonly senders?: Probed | undefined;
  };
  /** The lane workers of this process (`lane:<lane>`). */
  readonly lanes: readonly RunningConsumer[];
  /** The retry workers of this process (`retry:<lane>`); they need the schedule store to park and release. */
  readonly retries: readonly RunningConsumer[];
  /**
   * The other consumers of this process, by component name: each lane's delivery checks
   * (`checks:<lane>`), the receipts worker (`receipts`), the callbacks worker (`callbacks`). Like a
   * retry worker, each may legitimately stop polling while its window is full of paced or waiting
   * work, so only a stuck batch or no poll yet makes one not ok.
   */
  readonly consumers?: readonly {
    readonly component: string;
    status(): ConsumerStatus;
    /** The history writer's: how far history is behind its log, in the detail. */
    lagSeconds?(): number;
  }[];
  readonly vendors: Readonly<Record<string, VendorKind>>;
  /** Vendors whose current definition this process could not build, with why (`vendor:<id>`). */
  readonly unbuiltVendors?: Readonly<Record<string, string>>;
  readonly stopping: boolean;
}

/** A lane that has not polled for this long is stuck (polling never waits on vendors). */
const LANE_STALL_MS = 10_000;

/**
 * Ready means this process can do its part now: the transport answers, every
 * consumer polls and none has a batch stuck after its handler failed, a retry worker's schedule store
 * answers, the device registry answers where it is open, and no shutdown is under way.
 * Each component says why it is not ok. The API process reports its stores; a worker process adds
 * its consumers and the dedup store.
 *
 * The dedup store is reported but does not decide readiness: while it is down the workers send
 * without the check (fail-open, by design), and a restart, which is what a failing probe leads to,
 * would only add redeliveries to an outage.
 */
export async function checkHealth(input: HealthInput): Promise<HealthReport> {
  const components: Record<string, ComponentHealth> = {};
  const probe = async (name: string, check: () => Promise<boolean>, down = 'not answering') => {
    try {
      components[name] = (await check()) ? { ok: true } : { ok: false, detail: down };
    } catch (error) {
      components[name] = { ok: false, detail: error instanceof Error ? error.message : String(error) };
    }
  };
  const working = input.lanes.length > 0;
  await Promise.all([
    probe('transport', () => input.stores.transport.healthy()),
    probe('history', () => input.stores.history.healthy(), HISTORY_BEHIND_DETAIL),
    probe('config', () => input.stores.config.healthy()),
    ...(working ? [probe('dedup', () => input.stores.dedup.healthy(), FAIL_OPEN_DETAIL)] : []),
    ...(input.retries.length > 0
      ? [probe('schedule', async () => (await input.stores.schedule?.healthy()) ?? false)]
      : []),
    ...(input.stores.devices ? [probe('devices', () => input.stores.devices!.healthy())] : []),
    ...(input.stores.media ? [probe('media', () => input.stores.media!.healthy())] : []),
    ...(input.stores.senders
      ? [probe('senders', () => input.stores.senders!.healthy(), SENDERS_STALE_DETAIL)]
      : []),
  ]);
  // The sender registry is advisory: while it is down the API checks senders on its cached lists.
  // History too: nothing but the history writer writes it, and the history log keeps what it has
  // not applied, so accepting and sending go on while it is down.
  const advisory = new Set(working ? ['dedup', 'senders', 'history'] : ['senders', 'history']);
  // Advisory too: the other vendors of the channel carry its traffic, and a restart would not
  // bring the missing secret (the start would fail on it instead).
  for (const [vendor, why] of Object.entries(input.unbuiltVendors ?? {})) {
    components[`vendor:${vendor}`] = { ok: false, detail: why };
    advisory.add(`vendor:${vendor}`);
  }
  const now = Date.now();
  for (const lane of input.lanes) components[`lane:${lane.lane}`] = laneHealth(lane.status(), now);
  for (const retry of input.retries) components[`retry:${retry.lane}`] = retryHealth(retry.status());
  for (const consumer of input.consumers ?? []) {
    const health = retryHealth(consumer.status());
    const lag = consumer.lagSeconds?.();
    components[consumer.component] =
      lag === undefined || !health.ok
        ? health
        : { ...health, detail: `${health.detail}, ${lag.toFixed(1)} s behind` };
  }
  if (input.stopping) components.shutdown = { ok: false, detail: 'shutting down' };
  const ready = Object.entries(components).every(([name, c]) => c.ok || advisory.has(name));
  return { ready, components, vendors: input.vendors };
}

const SENDERS_STALE_DETAIL =
  'not answering: requests are checked against the sender lists read before the outage (stale-if-error)';

const HISTORY_BEHIND_DETAIL =
  'not answering: reads of history fail and history falls behind; the history log keeps every change until it is back';

const FAIL_OPEN_DETAIL =
  'not answering: sending goes on without the dedup check (fail-open, herald_dedup_fail_open_total)';

function laneHealth(status: ConsumerStatus, now: number): ComponentHealth {
  if (status.failure) return { ok: false, detail: status.failure };
  const idle = now - status.lastPollAt;
  if (status.lastPollAt > 0 && idle < LANE_STALL_MS)
    return { ok: true, detail: `${status.pending} in flight` };
  return { ok: false, detail: status.lastPollAt > 0 ? `no poll for ${idle} ms` : 'not polling yet' };
}

/**
 * A retry worker (or another consumer with work that waits) legitimately stops polling while its
 * waiting records fill its bound: no stall check.
 */
function retryHealth(status: ConsumerStatus): ComponentHealth {
  if (status.failure) return { ok: false, detail: status.failure };
  if (status.lastPollAt === 0) return { ok: false, detail: 'not polling yet' };
  return { ok: true, detail: `${status.pending} waiting` };
}
