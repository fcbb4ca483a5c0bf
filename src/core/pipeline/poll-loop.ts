import type { Logger } from '../../observability/logger.ts';
import type { HeraldMetrics } from '../../observability/metrics.ts';
import type {
  CommitOffset,
  Consumer,
  TopicPartition,
  Transport,
  TransportRecord,
} from '../../ports/transport.ts';
import type { RemoteConfigDocument } from '../domain/remote-config.ts';
import { OffsetTracker } from './offset-tracker.ts';

export interface PollLoopOptions {
  readonly name: string;
  readonly group: string;
  readonly topics: readonly string[];
  readonly transport: Pick<Transport, 'consumer'>;
  readonly metrics: HeraldMetrics;
  readonly logger: Logger;
  /** Records per poll and the in-flight bound, read live from the remote config. */
  readonly limits: (config: RemoteConfigDocument) => { batchSize: number; maxInFlight: number };
  readonly config: () => RemoteConfigDocument;
  /** Handles a polled batch; must call `finish` once per record when its outcome is durable. */
  readonly handle: (
    records: readonly TransportRecord[],
    finish: (record: TransportRecord) => void,
  ) => Promise<void>;
  readonly commitIntervalMs?: number;
  /** Called after each finished record, so owners can resize pools or update gauges. */
  readonly onProgress?: (pending: number) => void;
}

/**
 * The consumer side shared by lane workers and the retry worker: poll a batch, hand it off, keep
 * polling. It never waits for a batch to finish before the next poll (a slow vendor must not hold
 * the consumer); it stops fetching only when `maxInFlight` records are unfinished (backpressure).
 * Offsets are committed on an interval, and only up to the first unfinished record per partition.
 */
export class PollLoop {
  readonly #options: PollLoopOptions;
  readonly #tracker = new OffsetTracker();
  readonly #stop = new AbortController();
  #consumer: Consumer | undefined;
  #running: Promise<void> | undefined;
  #commitTimer: NodeJS.Timeout | undefined;
  #capacityWaiter: (() => void) | undefined;
  #lastPollAt = 0;

  constructor(options: PollLoopOptions) {
    this.#options = options;
  }

  /** Records taken and not finished. */
  get pending(): number {
    return this.#tracker.pending;
  }

  /** Epoch ms of the last poll: /health uses it to prove polling goes on while vendors hang. */
  get lastPollAt(): number {
    return this.#lastPollAt;
  }

  /** The group's committed offsets (next offset to read per partition). */
  async committed(): Promise<CommitOffset[]> {
    return this.#consumer ? this.#consumer.committed() : [];
  }

  async start(): Promise<void> {
    const { group, topics, transport } = this.#options;
    this.#consumer = await transport.consumer({ group, topics, onRevoke: (p) => this.#onRevoke(p) });
    this.#commitTimer = setInterval(() => void this.#commit(), this.#options.commitIntervalMs ?? 100);
    this.#running = this.#loop(this.#consumer);
  }

  /** Stop fetching, let in-flight records finish (bounded), commit, close the consumer. */
  async stop(drainTimeoutMs = 15_000): Promise<void> {
    this.#stop.abort();
    this.#capacityWaiter?.();
    await this.#running;
    await this.#waitUntil(() => this.#tracker.pending === 0, drainTimeoutMs);
    clearInterval(this.#commitTimer);
    await this.#commit();
    await this.#consumer?.close();
  }

  async #loop(consumer: Consumer): Promise<void> {
    const signal = this.#stop.signal;
    while (!signal.aborted) {
      const { batchSize, maxInFlight } = this.#options.limits(this.#options.config());
      const room = maxInFlight - this.#tracker.pending;
      if (room <= 0) {
        await new Promise<void>((resolve) => {
          this.#capacityWaiter = resolve;
        });
        continue;
      }
      let records: TransportRecord[];
      try {
        records = await consumer.poll(Math.min(batchSize, room), 250, signal);
        this.#lastPollAt = Date.now();
      } catch (error) {
        if (signal.aborted) break;
        this.#options.logger.warn({ err: error }, `${this.#options.name}: poll failed, trying again`);
        await new Promise((resolve) => setTimeout(resolve, 500));
        continue;
      }
      if (records.length === 0) continue;
      for (const record of records) this.#tracker.track(record);
      this.#options.metrics.inFlight.set({ lane: this.#options.name }, this.#tracker.pending);
      this.#options
        .handle(records, (record) => this.#finish(record))
        .catch((error: unknown) => {
          this.#options.logger.error({ err: error }, `${this.#options.name}: batch handler failed`);
        });
    }
  }

  #finish(record: TransportRecord): void {
    this.#tracker.finish(record);
    this.#options.onProgress?.(this.#tracker.pending);
    const waiter = this.#capacityWaiter;
    if (waiter) {
      this.#capacityWaiter = undefined;
      waiter();
    }
  }

  async #commit(): Promise<void> {
    const offsets = this.#tracker.committable();
    if (offsets.length === 0 || !this.#consumer) return;
    try {
      await this.#consumer.commit(offsets);
      this.#tracker.markCommitted(offsets);
      this.#options.metrics.commits.inc({ group: this.#options.group });
    } catch (error) {
      this.#options.logger.warn({ err: error }, `${this.#options.name}: commit failed, will retry`);
    }
  }

  /** On a rebalance: wait (bounded) for the partitions' in-flight work, commit it, forget them. */
  async #onRevoke(partitions: readonly TopicPartition[]): Promise<void> {
    await this.#waitUntil(() => this.#tracker.pendingIn(partitions) === 0, 10_000);
    await this.#commit();
    this.#tracker.forget(partitions);
  }

  async #waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition() && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
