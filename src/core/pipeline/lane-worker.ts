import type { Logger } from '../../observability/logger.ts';
import type { HeraldMetrics } from '../../observability/metrics.ts';
import type { DedupStore } from '../../ports/dedup-store.ts';
import type { DeviceRegistry } from '../../ports/device-registry.ts';
import type { HistoryStore } from '../../ports/history-store.ts';
import type { MediaStore } from '../../ports/media-store.ts';
import type { CommitOffset, Transport } from '../../ports/transport.ts';
import type { VendorRate } from '../../ports/vendor-rate.ts';
import type { Lane } from '../domain/lane.ts';
import type { RemoteConfigDocument } from '../domain/remote-config.ts';
import type { UnsubscribeLinks } from '../identity/unsubscribe-token.ts';
import type { VendorRouter } from '../routing/vendor-router.ts';
import type { TemplateLookup } from '../templates/template-lookup.ts';
import { ConcurrencyLimit } from './concurrency-limit.ts';
import { ImageLoader } from './image-loader.ts';
import { MetadataResolver } from './metadata-resolver.ts';
import { OutcomeSinks } from './outcome-sinks.ts';
import { laneVendorRate } from './pace-vendor-call.ts';
import { type ConsumerStatus, PollLoop } from './poll-loop.ts';
import { CHECK_LIMITS, processChecks } from './process-checks.ts';
import { processRecords } from './process-records.ts';
import { retryStranded } from './retry-stranded.ts';
import { checksTopic, laneSendTopics } from './topics.ts';

export interface LaneWorkerDeps {
  readonly lane: Lane;
  readonly transport: Pick<Transport, 'consumer' | 'produce'>;
  readonly dedup: DedupStore;
  readonly history: Pick<HistoryStore, 'appendEvents' | 'recordExpanded'>;
  readonly templates: TemplateLookup;
  /**
   * The device registry: pushes to users are resolved with it, dead tokens marked in it. Absent in
   * a process without one (a push to a user then fails HERALD_NO_DEVICES).
   */
  readonly devices?: Pick<DeviceRegistry, 'liveDevicesOf' | 'markDead'>;
  /** MMS images' bytes (the API stored them). Absent: an MMS with images is retried, then expires. */
  readonly media?: Pick<MediaStore, 'get'>;
  /** What device tokens are hashed with, as the registry hashes them (HERALD_RECIPIENT_HASH_SECRET). */
  readonly recipientHashSecret: string;
  /** Makes each ad e-mail's unsubscribe link (List-Unsubscribe and the body's opt-out line). */
  readonly unsubscribe: UnsubscribeLinks;
  readonly router: VendorRouter;
  readonly config: () => RemoteConfigDocument;
  readonly metrics: HeraldMetrics;
  readonly logger: Logger;
  readonly now?: () => number;
  /**
   * Paces receipt look-ups to each vendor's rate; pass one to every lane of a process so the lanes
   * share the vendor's limit. Absent: look-ups are not paced.
   */
  readonly receiptPacer?: Pick<VendorRate, 'acquire'>;
  /**
   * Paces sends to each vendor's `maxPerSecond`; pass one to every lane of a process (the Redis
   * one shares it with the lane's other processes). Each lane gets its own buckets of it. Absent:
   * no vendor is paced. (Receipt look-ups keep their own pacer above; they could take this port
   * too once their rate must be shared between processes.)
   */
  readonly vendorRate?: VendorRate;
}

/**
 * The worker of one lane: one consumer (group `herald-<lane>`) over the lane's channel topics, a
 * metadata pool and a send pool sized from the live remote config. Lanes share nothing but the
 * process, so a flooded batch lane cannot take a real-time lane's pool slots. Beside it, a second
 * consumer (group `herald-<lane>-checks`) takes the lane's delivery look-ups from its checks topic,
 * with a pool of its own: a look-up waiting for its vendor's pace never holds a send back.
 */
export class LaneWorker {
  readonly lane: Lane;
  readonly #loop: PollLoop;
  readonly #checks: PollLoop;
  readonly #sinks: OutcomeSinks;
  readonly #metadataPool: ConcurrencyLimit;
  readonly #sendPool: ConcurrencyLimit;
  readonly #checkPool: ConcurrencyLimit;
  readonly #config: () => RemoteConfigDocument;

  constructor(deps: LaneWorkerDeps) {
    this.lane = deps.lane;
    this.#config = deps.config;
    const settings = deps.config().lanes[deps.lane];
    this.#metadataPool = new ConcurrencyLimit(settings.metadataConcurrency);
    this.#sendPool = new ConcurrencyLimit(settings.sendConcurrency);
    this.#checkPool = new ConcurrencyLimit(settings.sendConcurrency);
    this.#sinks = new OutcomeSinks(deps);
    const context = {
      ...deps,
      now: deps.now ?? Date.now,
      sinks: this.#sinks,
      metadata: new MetadataResolver(
        deps.templates,
        undefined,
        deps.media && new ImageLoader(deps.media),
        deps.unsubscribe,
      ),
      metadataPool: this.#metadataPool,
      sendPool: this.#sendPool,
      vendorRate: deps.vendorRate && laneVendorRate(deps.vendorRate, deps.lane),
      logger: deps.logger.child({ lane: deps.lane }),
    };
    this.#loop = new PollLoop({
      name: deps.lane,
      group: `herald-${deps.lane}`,
      topics: laneSendTopics(deps.lane),
      transport: deps.transport,
      metrics: deps.metrics,
      logger: context.logger,
      config: deps.config,
      limits: (config) => config.lanes[deps.lane],
      handle: (records, finish, signal) => processRecords(context, records, finish, signal),
      recover: (records, error, finish) => retryStranded(context, records, error, finish),
    });
    const checkContext = { ...context, sendPool: this.#checkPool };
    this.#checks = new PollLoop({
      name: `${deps.lane}-checks`,
      group: `herald-${deps.lane}-checks`,
      topics: [checksTopic(deps.lane)],
      transport: deps.transport,
      metrics: deps.metrics,
      logger: context.logger,
      config: deps.config,
      limits: () => CHECK_LIMITS,
      handle: (records, finish, signal) => processChecks(checkContext, records, finish, signal),
    });
  }

  get pending(): number {
    return this.#loop.pending;
  }

  get lastPollAt(): number {
    return this.#loop.lastPollAt;
  }

  status(): ConsumerStatus {
    return this.#loop.status();
  }

  /** The checks consumer, for /health: paced look-ups may fill its window, so no stall check. */
  checksStatus(): ConsumerStatus {
    return this.#checks.status();
  }

  committed(): Promise<CommitOffset[]> {
    return this.#loop.committed();
  }

  async start(): Promise<void> {
    await Promise.all([this.#loop.start(), this.#checks.start()]);
  }

  /** Applies a new remote config: pool sizes change at once; batch size and in-flight at next poll. */
  applyConfig(): void {
    const settings = this.#config().lanes[this.lane];
    this.#metadataPool.setLimit(settings.metadataConcurrency);
    this.#sendPool.setLimit(settings.sendConcurrency);
    this.#checkPool.setLimit(settings.sendConcurrency);
  }

  /**
   * Stops polling, lets in-flight sends finish for up to `graceMs`, then aborts the rest through the
   * one signal every policy and vendor call derives from; writes out the outcomes, commits.
   */
  async stop(graceMs?: number): Promise<void> {
    await Promise.all([this.#loop.stop(graceMs), this.#checks.stop(graceMs)]);
    await this.#sinks.drain();
  }
}
