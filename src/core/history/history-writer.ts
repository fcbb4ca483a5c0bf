import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../observability/logger.ts';
import type { HeraldMetrics } from '../../observability/metrics.ts';
import type { HistoryLogBatch, HistoryStore } from '../../ports/history-store.ts';
import type { Transport, TransportRecord } from '../../ports/transport.ts';
import type { RemoteConfigDocument } from '../domain/remote-config.ts';
import { type ConsumerStatus, type Finish, PollLoop } from '../pipeline/poll-loop.ts';
import { STOPPED, untilStopped } from '../pipeline/until-stopped.ts';
import { decodeHistoryRecord, HISTORY_TOPIC } from './history-log.ts';

export interface HistoryWriterDeps {
  readonly transport: Pick<Transport, 'consumer'>;
  /** The projection (through the status-callbacks wrapper, so clients hear of each event). */
  readonly history: Pick<HistoryStore, 'applyLog'>;
  readonly config: () => RemoteConfigDocument;
  readonly metrics: HeraldMetrics;
  readonly logger: Logger;
  readonly now?: () => number;
  /** Records applied in one transaction at most; default 2,000 (up to 500,000 events). */
  readonly maxRecordsPerApply?: number;
  /**
   * How long a record may wait for others to join its transaction, ms; default 200. Each stretch
   * costs the store a handful of statements whatever its size, so a writer that applied every
   * record as it came would spend them per request; 200 ms more lag makes the stretches large.
   */
  readonly lingerMs?: number;
}

interface Waiting {
  readonly records: readonly TransportRecord[];
  readonly finish: Finish;
  /** When this writer got them (its own clock: a broker's may be set differently). */
  readonly receivedAt: number;
}

/**
 * Folds the history log into the history store (the projection): consumer group `herald-history`
 * over herald.history. Stretches are applied one at a time, in log order, each in one transaction
 * with the position it reaches (HistoryStore.applyLog), so a stretch read again after a crash
 * changes nothing; offsets are committed after that transaction. While one stretch is written,
 * the records polled meanwhile wait and go together as the next: the busier the log, the larger
 * the transactions. A store that is down is waited out, never skipped: the log holds the backlog
 * (the API and the workers go on), and the writer catches up when it is back.
 */
export class HistoryWriter {
  readonly #deps: HistoryWriterDeps;
  readonly #now: () => number;
  readonly #loop: PollLoop;
  readonly #stop = new AbortController();
  readonly #logger: Logger;
  readonly #maxRecords: number;
  readonly #lingerMs: number;
  #waiting: Waiting[] = [];
  #running: Promise<void> | undefined;
  /** Append time of the oldest record read and not yet applied (undefined: none). */
  #oldestUnapplied: number | undefined;

  constructor(deps: HistoryWriterDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
    this.#maxRecords = deps.maxRecordsPerApply ?? 2_000;
    this.#lingerMs = deps.lingerMs ?? 200;
    this.#logger = deps.logger.child({ worker: 'history-writer' });
    this.#loop = new PollLoop({
      name: 'history-writer',
      group: 'herald-history',
      topics: [HISTORY_TOPIC],
      transport: deps.transport,
      metrics: deps.metrics,
      logger: this.#logger,
      config: deps.config,
      limits: () => ({ batchSize: 1_000, maxInFlight: 20_000 }),
      handle: (records, finish) => this.#accept(records, finish),
    });
    deps.metrics.measureHistoryLag(() => this.lagSeconds());
  }

  /** How far history is behind the log: the age of the oldest record read and not yet applied. */
  lagSeconds(): number {
    return this.#oldestUnapplied === undefined ? 0 : Math.max(0, this.#now() - this.#oldestUnapplied) / 1_000;
  }

  status(): ConsumerStatus {
    return this.#loop.status();
  }

  start(): Promise<void> {
    return this.#loop.start();
  }

  /** What is waiting is not applied: its offsets stay uncommitted and it is read again at start. */
  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#running?.catch(() => {});
    await this.#loop.stop(2_000);
  }

  #accept(records: readonly TransportRecord[], finish: Finish): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    this.#oldestUnapplied ??= Math.min(...records.map((record) => record.timestamp));
    this.#waiting.push({ records, finish, receivedAt: this.#now() });
    this.#running ??= this.#drain().finally(() => {
      this.#running = undefined;
    });
    return Promise.resolve();
  }

  /** Applies what waits, a stretch at a time, until nothing does. */
  async #drain(): Promise<void> {
    while (this.#waiting.length > 0 && !this.#stop.signal.aborted) {
      await this.#linger();
      const taken = this.#take();
      await this.#apply(taken.flatMap((waiting) => waiting.records));
      if (this.#stop.signal.aborted) return;
      for (const { records, finish } of taken) for (const record of records) finish(record);
      const next = this.#waiting[0]?.records;
      this.#oldestUnapplied = next ? Math.min(...next.map((record) => record.timestamp)) : undefined;
    }
  }

  /** Waits until the oldest waiting batch came `lingerMs` ago, unless a full stretch is waiting. */
  async #linger(): Promise<void> {
    const waiting = this.#waiting.reduce((sum, batch) => sum + batch.records.length, 0);
    const first = this.#waiting[0];
    if (waiting >= this.#maxRecords || first === undefined) return;
    const wait = first.receivedAt + this.#lingerMs - this.#now();
    if (wait > 0) await sleep(wait, undefined, { signal: this.#stop.signal }).catch(() => {});
  }

  /** The waiting batches that fit one transaction (at least one). */
  #take(): Waiting[] {
    let count = 0;
    let taken = 0;
    while (taken < this.#waiting.length && (taken === 0 || count < this.#maxRecords)) {
      count += this.#waiting[taken]!.records.length;
      taken += 1;
    }
    return this.#waiting.splice(0, taken);
  }

  async #apply(records: readonly TransportRecord[]): Promise<void> {
    for (const batch of this.#batches(records)) {
      const applied = await untilStopped(
        () => this.#deps.history.applyLog(batch),
        this.#stop.signal,
        (error, backoffMs) => {
          this.#deps.metrics.historyApplyErrors.inc();
          this.#logger.warn(
            { err: error, backoffMs, records: batch.changes.length },
            'history store unavailable; the history log waits, uncommitted',
          );
        },
      );
      if (applied === STOPPED) return;
      this.#deps.metrics.historyApplied.inc(batch.changes.length);
    }
  }

  /** One stretch per log partition, in offset order; records that are not changes are skipped. */
  #batches(records: readonly TransportRecord[]): HistoryLogBatch[] {
    const bySource = new Map<string, HistoryLogBatch['changes'][number][]>();
    for (const record of records) {
      const change = decodeHistoryRecord(record.value);
      const source = `${record.topic}/${record.partition}`;
      if (!bySource.has(source)) bySource.set(source, []);
      if (!change) {
        this.#deps.metrics.poisonRecords.inc({ topic: record.topic });
        this.#logger.error({ offset: record.offset }, 'skipping a history log record that is not a change');
        continue;
      }
      bySource.get(source)!.push({ offset: record.offset, change });
    }
    return [...bySource].map(([source, changes]) => ({
      source,
      changes: changes.sort((a, b) => a.offset - b.offset),
    }));
  }
}
