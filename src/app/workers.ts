import { LocalVendorRate } from '../adapters/vendor-rate/local-vendor-rate.ts';
import type { EnvConfig } from '../config/env-config.ts';
import type { Lane } from '../core/domain/lane.ts';
import { HistoryWriter } from '../core/history/history-writer.ts';
import type { UnsubscribeLinks } from '../core/identity/unsubscribe-token.ts';
import { LaneWorker } from '../core/pipeline/lane-worker.ts';
import { RetryWorker } from '../core/pipeline/retry-worker.ts';
import { ReceiptsWorker } from '../core/receipts/receipts-worker.ts';
import { VendorRouter } from '../core/routing/vendor-router.ts';
import { TemplateSyncSchedule } from '../core/templates/template-sync-schedule.ts';
import type { Logger } from '../observability/logger.ts';
import type { HeraldMetrics } from '../observability/metrics.ts';
import type { HistoryStore } from '../ports/history-store.ts';
import type { SenderRegistry } from '../ports/sender-registry.ts';
import type { VendorRate } from '../ports/vendor-rate.ts';
import type { Callbacks } from './callbacks.ts';
import type { HealthInput } from './health.ts';
import type { LiveConfig } from './live-config.ts';
import type { Stores } from './stores.ts';
import { templateVendorContext } from './template-vendors.ts';
import type { VendorFleet } from './vendor-fleet.ts';

export interface WorkersContext {
  readonly env: EnvConfig;
  readonly lanes: readonly Lane[];
  readonly retryLanes: readonly Lane[];
  readonly stores: Stores;
  readonly config: LiveConfig;
  readonly fleet: VendorFleet;
  readonly callbacks: Callbacks;
  /** What lanes and retry workers write history through: the history log (PublishingHistoryStore). */
  readonly history: HistoryStore;
  /** Whether this process folds the history log into the history store (HistoryWriter). */
  readonly historyWriter: boolean;
  readonly unsubscribe: UnsubscribeLinks;
  readonly senders: () => SenderRegistry;
  /** Paces each vendor's sends to its `maxPerSecond` (docs/vendors/rate.md); absent: no pacing. */
  readonly vendorRate?: VendorRate;
  readonly metrics: HeraldMetrics;
  readonly logger: Logger;
  readonly now?: () => number;
}

/** The background workers of a process, started. */
export interface Workers {
  readonly lanes: readonly LaneWorker[];
  readonly receipts: ReceiptsWorker | undefined;
  readonly historyWriter: HistoryWriter | undefined;
  /** What /health reports of them. */
  readonly health: Pick<HealthInput, 'lanes' | 'retries' | 'consumers'>;
  /** Stops them all; in-flight sends get `graceMs` to finish before they are aborted. */
  stop(graceMs: number): Promise<void>;
}

/**
 * The lane workers of `lanes`, and where retry lanes run: their retry workers, the receipts worker
 * (one consumer group for the deployment), the daily template sync, and the callbacks worker.
 */
export async function startWorkers(context: WorkersContext): Promise<Workers> {
  const { env, stores, config, fleet, callbacks, metrics, logger } = context;
  const common = {
    transport: stores.transport,
    history: context.history,
    config: config.current,
    metrics,
    logger,
    ...(context.now && { now: context.now }),
  };
  // One pacer for every lane: a vendor's look-up rate limit is the process's, not each lane's.
  const receiptPacer = new LocalVendorRate();
  // One router per lane, over that lane's own vendor pools: breakers judge a vendor by the lane's
  // own calls, so time-outs a batch flood causes itself never shut a vendor for real-time traffic.
  const lanes = context.lanes.map(
    (lane) =>
      new LaneWorker({
        ...common,
        lane,
        receiptPacer,
        ...(context.vendorRate && { vendorRate: context.vendorRate }),
        dedup: stores.dedup,
        templates: stores.templates,
        recipientHashSecret: env.recipientHashSecret,
        unsubscribe: context.unsubscribe,
        devices: opened(stores.devices, 'devices'),
        media: opened(stores.media, 'media'),
        router: new VendorRouter({ vendors: fleet.forLane(lane), config: config.current }),
      }),
  );
  const retrying = context.retryLanes.length > 0;
  const retries = context.retryLanes.map(
    (lane) =>
      new RetryWorker({
        ...common,
        lane,
        schedule: opened(stores.schedule, 'schedule'),
        optOuts: stores.config,
        recipientHashSecret: env.recipientHashSecret,
        nightAdsPerSecond: env.nightAdReleasePerSecond,
      }),
  );
  // Receipts are applied where retries are re-dispatched: one consumer group for the deployment.
  // Receipts are matched against the projection and written to it directly (through the callbacks
  // wrapper): a receipt's message is found only once the writer has applied its `sent`.
  const receipts = retrying
    ? new ReceiptsWorker({ ...common, history: callbacks.history, callbacks: callbacks.notifier })
    : undefined;
  // The history writer applies the log through the callbacks wrapper: clients hear of each event
  // once history has it.
  const historyWriter = context.historyWriter
    ? new HistoryWriter({ ...common, history: callbacks.history })
    : undefined;
  config.onChange(() => {
    for (const lane of lanes) lane.applyConfig();
  });
  // The daily template sync runs where retry workers run (one schedule per process).
  const templateSync = retrying
    ? new TemplateSyncSchedule(
        {
          ...templateVendorContext(
            { get: (id) => fleet.forLane('batch').get(id) },
            config.current,
            context.senders(),
          ),
          store: stores.templates,
          now: () => context.now?.() ?? Date.now(),
        },
        env.templateSyncIntervalMs,
        logger.child({ component: 'template-sync' }),
      )
    : undefined;
  templateSync?.start();
  await Promise.all([
    ...lanes.map((lane) => lane.start()),
    ...retries.map((retry) => retry.start()),
    callbacks.start(),
    receipts?.start(),
    historyWriter?.start(),
  ]);
  return {
    lanes,
    receipts,
    historyWriter,
    health: {
      lanes,
      retries: retries.map((retry, i) => ({ lane: context.retryLanes[i]!, status: () => retry.status() })),
      consumers: [
        ...lanes.map((lane) => ({ component: `checks:${lane.lane}`, status: () => lane.checksStatus() })),
        ...(receipts ? [{ component: 'receipts', status: () => receipts.status() }] : []),
        ...(callbacks.worker ? [{ component: 'callbacks', status: () => callbacks.worker!.status() }] : []),
        ...(historyWriter
          ? [
              {
                component: 'history-writer',
                status: () => historyWriter.status(),
                lagSeconds: () => historyWriter.lagSeconds(),
              },
            ]
          : []),
      ],
    },
    async stop(graceMs) {
      await Promise.all([
        ...lanes.map((lane) => lane.stop(graceMs)),
        ...retries.map((retry) => retry.stop()),
        receipts?.stop(),
        templateSync?.stop(),
      ]);
      // After the lanes: what they wrote last is on the log, and applied at the next start.
      await historyWriter?.stop();
      await callbacks.stop();
    },
  };
}

/** A store openStores opened for this process's roles (see StoreUses): absent would be a wiring bug. */
export function opened<T>(store: T | undefined, name: string): T {
  if (store === undefined) throw new Error(`the ${name} store is not open in this process`);
  return store;
}
