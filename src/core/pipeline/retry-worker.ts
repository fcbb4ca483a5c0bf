import type { Logger } from '../../observability/logger.ts';
import type { HeraldMetrics } from '../../observability/metrics.ts';
import type { HistoryStore } from '../../ports/history-store.ts';
import type { Transport, TransportRecord } from '../../ports/transport.ts';
import type { Lane } from '../domain/lane.ts';
import type { Envelope } from '../domain/message.ts';
import type { RemoteConfigDocument } from '../domain/remote-config.ts';
import { BatchingWriter } from './batching-writer.ts';
import { decodeEnvelope, encodeEnvelope } from './envelope-codec.ts';
import { type ConsumerStatus, PollLoop } from './poll-loop.ts';
import { retryTopic, sendTopic } from './topics.ts';

export interface RetryWorkerDeps {
  readonly lane: Lane;
  readonly transport: Pick<Transport, 'consumer' | 'produce'>;
  readonly history: Pick<HistoryStore, 'appendEvents'>;
  readonly config: () => RemoteConfigDocument;
  readonly metrics: HeraldMetrics;
  readonly logger: Logger;
  readonly now?: () => number;
  /** Retry records held in memory waiting for their time; at the bound the worker stops fetching. */
  readonly maxWaiting?: number;
}

/**
 * Reads one lane's retry topic and puts each message back on the lane's send topic when its
 * next-attempt time comes, or ends it as `expired` when its expiry comes first. Waiting records
 * are held on timers; their offsets stay uncommitted until they are re-dispatched, so a crash
 * re-reads them (and the lane's dedup check absorbs any record dispatched twice).
 *
 * One per lane, each with its own consumer group and bound on waiting records: ads deferred
 * overnight (thousands, waiting until 08:00 KST) must never fill the bound that real-time
 * retries need.
 */
export class RetryWorker {
  readonly #deps: RetryWorkerDeps;
  readonly #now: () => number;
  readonly #loop: PollLoop;
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #produce: BatchingWriter<{ topic: string; key: string; value: string }>;
  readonly #history: BatchingWriter<Parameters<HistoryStore['appendEvents']>[0][number]>;

  constructor(deps: RetryWorkerDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
    const logger = deps.logger.child({ worker: 'retry', lane: deps.lane });
    this.#produce = new BatchingWriter({ flush: (records) => deps.transport.produce(records) });
    this.#history = new BatchingWriter({ flush: (events) => deps.history.appendEvents(events) });
    this.#loop = new PollLoop({
      name: `retry-${deps.lane}`,
      group: `herald-retry-${deps.lane}`,
      topics: [retryTopic(deps.lane)],
      transport: deps.transport,
      metrics: deps.metrics,
      logger,
      config: deps.config,
      limits: () => ({ batchSize: 500, maxInFlight: deps.maxWaiting ?? 20_000 }),
      handle: async (records, finish) => {
        for (const record of records) this.#schedule(record, finish);
      },
    });
  }

  get waiting(): number {
    return this.#loop.pending;
  }

  /** For /health: polling, waiting records, and a stuck batch if any. */
  status(): ConsumerStatus {
    return this.#loop.status();
  }

  start(): Promise<void> {
    return this.#loop.start();
  }

  /** Waiting records are not waited for: their offsets stay uncommitted and are read again at start. */
  async stop(): Promise<void> {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    await this.#loop.stop(1_000);
    await Promise.all([this.#produce.drain(), this.#history.drain()]);
  }

  #schedule(record: TransportRecord, finish: (record: TransportRecord) => void): void {
    const envelope = decodeEnvelope(record.value);
    if (!envelope) {
      this.#deps.metrics.poisonRecords.inc({ topic: record.topic });
      finish(record);
      return;
    }
    // Whichever comes first: the next attempt, or the expiry that ends the message.
    const dueAt = Math.min(envelope.notBefore ?? 0, envelope.expiresAt);
    const dueIn = Math.max(0, dueAt - this.#now());
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.#dispatch(envelope, dueAt).then(
        () => finish(record),
        (error: unknown) => this.#deps.logger.error({ err: error }, 'retry dispatch failed'),
      );
    }, dueIn);
    this.#timers.add(timer);
  }

  async #dispatch(envelope: Envelope, dueAt: number): Promise<void> {
    // A timer may fire a millisecond before the wall clock reaches dueAt: compare against the
    // later of the two, or a message scheduled for its expiry would slip back onto the lane.
    const now = Math.max(this.#now(), dueAt);
    if (envelope.expiresAt <= now) {
      this.#deps.metrics.outcomes.inc({
        lane: envelope.lane,
        channel: envelope.channel,
        status: 'expired',
        vendor: 'none',
      });
      await this.#history.write([
        {
          messageId: envelope.messageId,
          status: 'expired',
          at: now,
          attempt: envelope.attempt,
          errorCode: 'HERALD_EXPIRED',
          errorMessage: 'reached its expiry while waiting for a retry',
        },
      ]);
      return;
    }
    const { notBefore: _, ...rest } = envelope;
    await this.#produce.write([
      { topic: sendTopic(envelope.lane, envelope.channel), key: envelope.key, value: encodeEnvelope(rest) },
    ]);
  }
}
