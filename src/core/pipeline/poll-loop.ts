import type { Logger } from '../../observability/logger.ts';
import type { HeraldMetrics } from '../../observability/metrics.ts';
import type {
  CommitOffset,
  Consumer,
  TopicPartition,
  Transport,
  TransportRecord,
} from '../../ports/transport.ts';
import { HeraldError } from '../domain/errors.ts';
import type { RemoteConfigDocument } from '../domain/remote-config.ts';
import { OffsetTracker } from './offset-tracker.ts';

export type Finish = (record: TransportRecord) => void;

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
  /**
   * Handles a polled batch; must call `finish` once per record when its outcome is durable.
   * `signal` aborts when a shutdown's drain grace runs out: work still running then is given up,
   * and records not finished stay uncommitted (redelivered after a restart). A handler that fails
   * should reject only once none of its records is still being worked on.
   */
  readonly handle: (
    records: readonly TransportRecord[],
    finish: Finish,
    signal: AbortSignal,
  ) => Promise<void>;
  /**
   * Takes over the unfinished records of a batch whose handler threw (the lane hands them to its
   * retry topic) and finishes them; rejects when it cannot. Without it, or when it rejects, the
   * records stay unfinished and the loop reports itself failed (see `status`).
   */
  readonly recover?: (records: readonly TransportRecord[], error: unknown, finish: Finish) => Promise<void>;
  readonly commitIntervalMs?: number;
  /** Called after each finished record, so owners can resize pools or update gauges. */
  readonly onProgress?: (pending: number) => void;
}

/** What /health reports of a consumer. */
export interface ConsumerStatus {
  readonly name: string;
  /** Records taken and not finished. */
  readonly pending: number;
  /** Epoch ms of the last poll (0: none yet): proof that polling goes on while vendors hang. */
  readonly lastPollAt: number;
  /** Why the consumer cannot make progress on its own, once a failed batch is stuck. */
  readonly failure: string | undefined;
}

/** How long a stop waits for work it aborted to settle; aborted vendor calls settle at once. */
const ABORTED_SETTLE_MS = 2_000;

/**
 * The consumer side shared by lane workers and the retry worker, on every transport: poll a batch,
 * hand it off, keep polling. It never waits for a batch to finish before the next poll (a slow
 * vendor must not hold the consumer); it stops fetching only when `maxInFlight` records are
 * unfinished (backpressure). Offsets are committed on an interval, and only up to the first
 * unfinished record per partition.
 *
 * A batch handler that throws never stalls its partitions in silence: its unfinished records go to
 * `recover`, and if that is missing or fails too they stay uncommitted (never lost: a restart
 * redelivers them) while the loop counts the failure and reports it to /health until a restart.
 */
export class PollLoop {
  readonly #options: PollLoopOptions;
  readonly #tracker = new OffsetTracker();
  readonly #polling = new AbortController();
  /** The one signal of every batch's work: aborted when a stop's drain grace runs out. */
  readonly #work = new AbortController();
  readonly #handlers = new Set<Promise<void>>();
  #consumer: Consumer | undefined;
  #running: Promise<void> | undefined;
  #commitTimer: NodeJS.Timeout | undefined;
  #capacityWaiter: (() => void) | undefined;
  #lastPollAt = 0;
  #failure: string | undefined;

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

  status(): ConsumerStatus {
    const { name } = this.#options;
    return { name, pending: this.pending, lastPollAt: this.#lastPollAt, failure: this.#failure };
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

  /**
   * Stops fetching, lets in-flight records finish for up to `graceMs`, then aborts the work still
   * running through the batches' signal (vendor calls are cut off, their records stay unfinished),
   * commits what finished and closes the consumer.
   */
  async stop(graceMs = 15_000): Promise<void> {
    this.#polling.abort();
    this.#capacityWaiter?.();
    await this.#running;
    await this.#waitUntil(() => this.#tracker.pending === 0, graceMs);
    // Work still running (not records merely waiting, as a retry worker's are) is about to be cut.
    if (this.#handlers.size > 0) {
      this.#options.logger.warn(
        { pending: this.#tracker.pending, graceMs },
        `${this.#options.name}: drain grace over, aborting the work in flight; it is redelivered after restart`,
      );
    }
    this.#work.abort(
      new HeraldError(
        'HERALD_UNAVAILABLE',
        'herald is shutting down; the message is redelivered after restart',
        {
          retryable: true,
        },
      ),
    );
    await this.#waitUntil(() => this.#handlers.size === 0, ABORTED_SETTLE_MS);
    clearInterval(this.#commitTimer);
    await this.#commit();
    await this.#consumer?.close();
  }

  async #loop(consumer: Consumer): Promise<void> {
    const signal = this.#polling.signal;
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
      this.#dispatch(records);
    }
  }

  /** Hands a batch to the handler; what it leaves unfinished when it throws goes to #rescue. */
  #dispatch(records: TransportRecord[]): void {
    const open = new Set(records);
    const finish: Finish = (record) => {
      if (open.delete(record)) this.#finish(record);
    };
    const handled = this.#options
      .handle(records, finish, this.#work.signal)
      .catch((error: unknown) => this.#rescue([...open], error, finish))
      .finally(() => this.#handlers.delete(handled));
    this.#handlers.add(handled);
  }

  async #rescue(stranded: TransportRecord[], error: unknown, finish: Finish): Promise<void> {
    const { name, logger, metrics, recover } = this.#options;
    try {
      if (!recover) throw error;
      await recover(stranded, error, finish);
      metrics.handlerFailures.inc({ worker: name, outcome: 'retried' });
      logger.error(
        { err: error, records: stranded.length },
        `${name}: batch handler failed; its unfinished records were handed to retry`,
      );
    } catch (failure) {
      metrics.handlerFailures.inc({ worker: name, outcome: 'stuck' });
      const reason = failure instanceof Error ? failure.message : String(failure);
      this.#failure ??=
        `a batch handler failed and ${stranded.length} records could not be handed to retry (${reason}); ` +
        'their partitions commit no further until a restart redelivers them';
      logger.error(
        { err: failure, handlerError: error, records: stranded.length },
        `${name}: ${this.#failure}`,
      );
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

  /**
   * On a rebalance: wait (bounded) for the partitions' in-flight work, commit it, forget them.
   * After a shutdown aborted the work nothing more will finish, so there is nothing to wait for.
   */
  async #onRevoke(partitions: readonly TopicPartition[]): Promise<void> {
    if (!this.#work.signal.aborted) {
      await this.#waitUntil(() => this.#tracker.pendingIn(partitions) === 0, 10_000);
    }
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
