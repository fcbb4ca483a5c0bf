import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../observability/logger.ts';
import type { HeraldMetrics } from '../../observability/metrics.ts';
import type { ClaimedRecord, ScheduleStore } from '../../ports/schedule-store.ts';
import type { Lane } from '../domain/lane.ts';
import { SCHEDULE_KINDS, type ScheduleKind, scheduleQueue } from './schedule-queues.ts';
import { TokenBucket } from './token-bucket.ts';

export interface ScheduleReleaserOptions {
  readonly lane: Lane;
  readonly store: Pick<ScheduleStore, 'claimDue' | 'count'>;
  /** Makes a claimed batch's outcome durable and removes it from the store; throws to leave it parked. */
  readonly release: (kind: ScheduleKind, claimed: readonly ClaimedRecord[]) => Promise<void>;
  readonly now: () => number;
  /** Night ads released per second at most (the 08:00 wave's pace). */
  readonly nightAdsPerSecond: number;
  readonly metrics: Pick<HeraldMetrics, 'scheduleErrors' | 'scheduleWaiting'>;
  readonly logger: Logger;
  /** Records per claim. Default 500. */
  readonly batchSize?: number;
  /** How long a claim hides its records from other releasers. Default 60 s. */
  readonly leaseMs?: number;
  /** Pause between looks at the store when nothing is due. Default 250 ms. */
  readonly idleMs?: number;
}

const MAX_BACKOFF_MS = 5_000;
/** How often the waiting counts are read for the gauge: counting is cheap, not free. */
const GAUGE_REFRESH_MS = 15_000;

/**
 * Takes due records out of a lane's two schedule queues in bounded batches and hands them to
 * `release`. Retries always go first: each step claims due retries before it looks at the night
 * queue, so a retry due now waits at most one night batch, never behind the whole 08:00 wave. Night
 * ads leave at `nightAdsPerSecond` (a token bucket on the injected clock), so the wave reaches the
 * ad lane's send topic no faster than the lane sends, and the ordinary retries and new ads released
 * onto that topic do not queue behind 100,000 of them.
 *
 * When the store or the release fails (database outage, opt-out list unreadable), the claimed
 * records stay parked (their lease lapses and they are claimed again), the failure is counted and
 * logged, and the releaser backs off, doubling up to 5 s.
 */
export class ScheduleReleaser {
  readonly #options: Required<ScheduleReleaserOptions>;
  readonly #nightPace: TokenBucket;
  readonly #stop = new AbortController();
  #running: Promise<void> | undefined;
  #gaugeReadAt = Number.NEGATIVE_INFINITY;

  constructor(options: ScheduleReleaserOptions) {
    this.#options = { batchSize: 500, leaseMs: 60_000, idleMs: 250, ...options };
    this.#nightPace = new TokenBucket(options.nightAdsPerSecond, options.now);
  }

  start(): void {
    this.#running ??= this.#run();
  }

  /** Stops claiming; a batch being released finishes first. */
  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#running;
  }

  async #run(): Promise<void> {
    const signal = this.#stop.signal;
    let backoffMs = 0;
    while (!signal.aborted) {
      await this.#refreshGauge();
      let released: number;
      try {
        released = await this.releaseOnce();
        backoffMs = 0;
      } catch (error) {
        backoffMs = Math.min(Math.max(backoffMs * 2, 100), MAX_BACKOFF_MS);
        this.#options.metrics.scheduleErrors.inc({ lane: this.#options.lane, operation: 'release' });
        this.#options.logger.warn(
          { err: error, backoffMs },
          'releasing parked records failed; they stay parked',
        );
        released = 0;
      }
      if (released === 0)
        await sleep(backoffMs || this.#options.idleMs, undefined, { signal }).catch(() => {});
    }
  }

  /**
   * One batch: due retries if there are any, else as many due night ads as the pace allows.
   * Returns how many records it released. The loop calls it; tests call it to step deterministically.
   */
  async releaseOnce(): Promise<number> {
    const { batchSize } = this.#options;
    const retries = await this.#claim('retry', batchSize);
    if (retries.length > 0) {
      await this.#options.release('retry', retries);
      return retries.length;
    }
    const allowed = this.#nightPace.takeUpTo(batchSize);
    if (allowed === 0) return 0;
    let ads: ClaimedRecord[] = [];
    try {
      ads = await this.#claim('night-ad', allowed);
    } finally {
      this.#nightPace.giveBack(allowed - ads.length);
    }
    if (ads.length > 0) await this.#options.release('night-ad', ads);
    return ads.length;
  }

  async #refreshGauge(): Promise<void> {
    if (performance.now() - this.#gaugeReadAt < GAUGE_REFRESH_MS) return;
    this.#gaugeReadAt = performance.now();
    const { store, lane, metrics } = this.#options;
    for (const kind of SCHEDULE_KINDS) {
      const waiting = await store.count(scheduleQueue(lane, kind)).catch(() => undefined);
      if (waiting !== undefined) metrics.scheduleWaiting.set({ lane, queue: kind }, waiting);
    }
  }

  #claim(kind: ScheduleKind, limit: number): Promise<ClaimedRecord[]> {
    const { store, lane, now, leaseMs } = this.#options;
    return store.claimDue(scheduleQueue(lane, kind), now(), limit, leaseMs);
  }
}
