import type { Logger } from '../../observability/logger.ts';
import type { HeraldMetrics } from '../../observability/metrics.ts';
import type { HistoryStore } from '../../ports/history-store.ts';
import type { ParkedRecord, ScheduleStore } from '../../ports/schedule-store.ts';
import type { Transport, TransportRecord } from '../../ports/transport.ts';
import type { Lane } from '../domain/lane.ts';
import type { Envelope } from '../domain/message.ts';
import type { RemoteConfigDocument } from '../domain/remote-config.ts';
import { BatchingWriter } from './batching-writer.ts';
import { decodeEnvelope } from './envelope-codec.ts';
import { parkDurably } from './park-durably.ts';
import { type ConsumerStatus, PollLoop } from './poll-loop.ts';
import type { OptOutRecheckContext } from './recheck-opt-outs.ts';
import { expiredEvent, releaseClaimed, sendRecord } from './release-due.ts';
import { type ScheduleKind, scheduleQueue } from './schedule-queues.ts';
import { ScheduleReleaser } from './schedule-releaser.ts';
import { retryTopic } from './topics.ts';

export interface RetryWorkerDeps extends OptOutRecheckContext {
  readonly lane: Lane;
  readonly transport: Pick<Transport, 'consumer' | 'produce'>;
  readonly history: Pick<HistoryStore, 'appendEvents'>;
  readonly schedule: Pick<ScheduleStore, 'park' | 'claimDue' | 'remove' | 'count'>;
  readonly config: () => RemoteConfigDocument;
  readonly metrics: HeraldMetrics;
  readonly logger: Logger;
  readonly now?: () => number;
  /** Night ads released per second from 08:00 KST. Default 500. */
  readonly nightAdsPerSecond?: number;
  /** Retries due within this are held in memory instead of parked. Default 10 s. */
  readonly holdInMemoryMs?: number;
  /** Records read and not yet re-dispatched or parked; at the bound the worker stops fetching. */
  readonly maxWaiting?: number;
  /** Pause of the releaser between looks at an empty schedule. Default 250 ms. */
  readonly releaseIdleMs?: number;
}

/**
 * Reads one lane's retry topic and brings each message back when its time comes, or ends it as
 * `expired` when its expiry comes first. Nothing waits in memory for long:
 *
 * - a retry due within seconds (`holdInMemoryMs`) is held on a timer, its offset uncommitted until
 *   it is re-dispatched, so a crash re-reads it;
 * - everything else (later retries, and every night ad waiting for 08:00 KST) is parked in the
 *   durable schedule store, and its offset is committed only once the park is durable. While the
 *   store is down the records stay on the topic, uncommitted, and parking is tried again with a
 *   backoff (counted, logged): nothing is lost, and at `maxWaiting` the worker stops fetching;
 * - a releaser (schedule-releaser.ts) takes parked records back when due, retries before night ads.
 *
 * One per lane, each with its own consumer group and queues.
 */
export class RetryWorker {
  readonly #deps: RetryWorkerDeps;
  readonly #now: () => number;
  readonly #holdMs: number;
  readonly #loop: PollLoop;
  readonly #releaser: ScheduleReleaser;
  readonly #stop = new AbortController();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #produce: BatchingWriter<{ topic: string; key: string; value: string }>;
  readonly #history: BatchingWriter<Parameters<HistoryStore['appendEvents']>[0][number]>;
  readonly #logger: Logger;

  constructor(deps: RetryWorkerDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
    this.#holdMs = deps.holdInMemoryMs ?? 10_000;
    this.#logger = deps.logger.child({ worker: 'retry', lane: deps.lane });
    this.#produce = new BatchingWriter({ flush: (records) => deps.transport.produce(records) });
    this.#history = new BatchingWriter({ flush: (events) => deps.history.appendEvents(events) });
    this.#loop = new PollLoop({
      name: `retry-${deps.lane}`,
      group: `herald-retry-${deps.lane}`,
      topics: [retryTopic(deps.lane)],
      transport: deps.transport,
      metrics: deps.metrics,
      logger: this.#logger,
      config: deps.config,
      limits: () => ({ batchSize: 500, maxInFlight: deps.maxWaiting ?? 20_000 }),
      handle: (records, finish) => this.#handle(records, finish),
    });
    const releaseContext = {
      ...deps,
      now: this.#now,
      history: this.#history,
      schedule: deps.schedule,
    };
    this.#releaser = new ScheduleReleaser({
      lane: deps.lane,
      store: deps.schedule,
      release: (kind, claimed) => releaseClaimed(releaseContext, kind, claimed),
      now: this.#now,
      nightAdsPerSecond: deps.nightAdsPerSecond ?? 500,
      metrics: deps.metrics,
      logger: this.#logger,
      ...(deps.releaseIdleMs !== undefined && { idleMs: deps.releaseIdleMs }),
    });
  }

  /** Records read from the topic and not yet re-dispatched or parked. */
  get waiting(): number {
    return this.#loop.pending;
  }

  /** For /health: polling, waiting records, and a stuck batch if any. */
  status(): ConsumerStatus {
    return this.#loop.status();
  }

  async start(): Promise<void> {
    await this.#loop.start();
    this.#releaser.start();
  }

  /** Held and unparked records are not waited for: their offsets stay uncommitted and are read again at start. */
  async stop(): Promise<void> {
    this.#stop.abort();
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    await this.#releaser.stop();
    await this.#loop.stop(1_000);
    await Promise.all([this.#produce.drain(), this.#history.drain()]);
  }

  async #handle(
    records: readonly TransportRecord[],
    finish: (record: TransportRecord) => void,
  ): Promise<void> {
    const parking: { record: TransportRecord; parked: ParkedRecord; kind: ScheduleKind }[] = [];
    const now = this.#now();
    for (const record of records) {
      const envelope = decodeEnvelope(record.value);
      if (!envelope) {
        this.#deps.metrics.poisonRecords.inc({ topic: record.topic });
        finish(record);
        continue;
      }
      // Whichever comes first: the next attempt, or the expiry that ends the message.
      const dueAt = Math.min(envelope.notBefore ?? 0, envelope.expiresAt);
      const kind: ScheduleKind = envelope.deferredForNight ? 'night-ad' : 'retry';
      if (kind === 'retry' && dueAt - now <= this.#holdMs) {
        this.#hold(envelope, dueAt, () => finish(record));
      } else {
        parking.push({ record, kind, parked: parkedRecord(this.#deps.lane, kind, envelope, dueAt, record) });
      }
    }
    if (parking.length === 0) return;
    if (!(await this.#parkDurably(parking.map((p) => p.parked)))) return;
    for (const { record, kind } of parking) {
      this.#deps.metrics.scheduleParked.inc({ lane: this.#deps.lane, queue: kind });
      finish(record);
    }
  }

  /** Parks until the store has them, backing off while it is down; false when stopped first. */
  #parkDurably(records: readonly ParkedRecord[]): Promise<boolean> {
    return parkDurably(this.#deps.schedule, records, this.#stop.signal, (error, backoffMs) => {
      this.#deps.metrics.scheduleErrors.inc({ lane: this.#deps.lane, operation: 'park' });
      this.#logger.warn(
        { err: error, records: records.length, backoffMs },
        'schedule store unavailable; records stay on the retry topic, uncommitted',
      );
    });
  }

  #hold(envelope: Envelope, dueAt: number, finish: () => void): void {
    const timer = setTimeout(
      () => {
        this.#timers.delete(timer);
        this.#dispatch(envelope, dueAt).then(finish, (error: unknown) =>
          this.#logger.error({ err: error }, 'retry dispatch failed'),
        );
      },
      Math.max(0, dueAt - this.#now()),
    );
    this.#timers.add(timer);
  }

  async #dispatch(envelope: Envelope, dueAt: number): Promise<void> {
    // A timer may fire a millisecond before the wall clock reaches dueAt: compare against the
    // later of the two, or a message scheduled for its expiry would slip back onto the lane.
    const now = Math.max(this.#now(), dueAt);
    // A delivery check goes back whatever the expiry: the message was sent, only its result is due.
    if (envelope.expiresAt > now || envelope.deliveryCheck)
      return this.#produce.write([sendRecord(envelope)]);
    this.#deps.metrics.outcomes.inc({
      lane: envelope.lane,
      channel: envelope.channel,
      status: 'expired',
      vendor: 'none',
    });
    await this.#history.write([expiredEvent(envelope, now)]);
  }
}

/**
 * The record as parked: its id is the message, attempt and next-attempt time, so reading the same
 * retry record again (a crash before the commit) parks it over itself instead of twice.
 */
function parkedRecord(
  lane: Lane,
  kind: ScheduleKind,
  envelope: Envelope,
  dueAt: number,
  record: TransportRecord,
): ParkedRecord {
  return {
    queue: scheduleQueue(lane, kind),
    id: `${envelope.messageId}:${envelope.attempt}:${envelope.notBefore ?? 0}`,
    dueAt,
    value: record.value,
  };
}
