import type { DatabaseSync } from 'node:sqlite';
import { HeraldError } from '../../core/domain/errors.ts';
import type {
  Consumer,
  ConsumerOptions,
  OutgoingRecord,
  TopicSpec,
  Transport,
} from '../../ports/transport.ts';
import { AppendNotifier } from './append-notifier.ts';
import { LogRetention } from './log-retention.ts';
import { answers, openDatabase } from './open-database.ts';
import { SqliteConsumer } from './sqlite-consumer.ts';
import type { BackgroundErrorHandler } from './store-failure.ts';
import { guardStore } from './store-failure.ts';
import { TransportLog } from './transport-log.ts';
import { TRANSPORT_MIGRATIONS } from './transport-schema.ts';

export interface SqliteTransportOptions {
  /** Database file; its directory is created when missing. */
  readonly path: string;
  /**
   * Records older than this AND committed by every group reading their topic are deleted.
   * Default 24 h (HERALD_TRANSPORT_RETENTION_HOURS; see LogRetention).
   */
  readonly retentionMs?: number;
  /** Most records one retention DELETE removes. Default 500. */
  readonly retentionBatchSize?: number;
  /** How often a waiting poll re-reads the file for appends by other processes. Default 50 ms. */
  readonly pollIntervalMs?: number;
  /** How often retention runs. Default 30 s. */
  readonly retentionIntervalMs?: number;
  readonly onBackgroundError?: BackgroundErrorHandler;
}

const DEFAULT_RETENTION_MS = 24 * 60 * 60 * 1_000;
const DEFAULT_POLL_INTERVAL_MS = 50;
const DEFAULT_RETENTION_INTERVAL_MS = 30_000;
/**
 * 500 envelopes (~0.5 MB) per DELETE: a few milliseconds of write lock, so an append waits at most
 * that long behind retention, while a day of traffic is still pruned in a few thousand batches.
 */
const DEFAULT_RETENTION_BATCH_SIZE = 500;

/**
 * The embedded transport: a durable partitioned log in one SQLite file, with Kafka's semantics
 * (per-key partitions, per-partition offsets, consumer groups with committed offsets).
 *
 * Embedded means one consumer process per group: a consumer owns every partition of its topics.
 * A second live consumer of the same group in this transport is refused; two processes consuming
 * one group from the same file are not supported (both would read everything).
 */
export class SqliteTransport implements Transport {
  readonly #db: DatabaseSync;
  readonly #log: TransportLog;
  readonly #retention: LogRetention;
  readonly #notifier = new AppendNotifier();
  readonly #consumersByGroup = new Map<string, SqliteConsumer>();
  readonly #retentionMs: number;
  readonly #retentionBatchSize: number;
  readonly #pollIntervalMs: number;
  readonly #retentionTimer: NodeJS.Timeout;
  #pruning: Promise<number> | undefined;
  #closed = false;

  constructor(options: SqliteTransportOptions) {
    // secure_delete: a pruned record's body and recipient are zeroed on disk, not left in free pages.
    this.#db = openDatabase({
      path: options.path,
      component: 'transport',
      migrations: TRANSPORT_MIGRATIONS,
      secureDelete: true,
    });
    this.#log = new TransportLog(this.#db);
    this.#retention = new LogRetention(this.#db);
    this.#retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
    this.#retentionBatchSize = options.retentionBatchSize ?? DEFAULT_RETENTION_BATCH_SIZE;
    this.#pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    this.#retentionTimer = setInterval(() => {
      this.applyRetention().catch((error: unknown) => options.onBackgroundError?.(error));
    }, options.retentionIntervalMs ?? DEFAULT_RETENTION_INTERVAL_MS);
    this.#retentionTimer.unref();
  }

  async ensureTopics(topics: readonly TopicSpec[]): Promise<void> {
    guardStore('ensureTopics', () => this.#log.ensureTopics(topics));
  }

  async produce(records: readonly OutgoingRecord[]): Promise<void> {
    if (records.length === 0) return;
    const topics = guardStore('produce', () => this.#log.append(records, Date.now()));
    this.#notifier.notify(topics);
  }

  async consumer(options: ConsumerOptions): Promise<Consumer> {
    if (this.#closed)
      throw new HeraldError('HERALD_UNAVAILABLE', 'the transport is closed', { retryable: true });
    if (this.#consumersByGroup.has(options.group)) {
      throw new HeraldError(
        'HERALD_INTERNAL',
        `group ${options.group} already has a live consumer; the embedded transport allows one per group`,
      );
    }
    const consumer = guardStore(
      'consumer',
      () =>
        new SqliteConsumer(
          {
            log: this.#log,
            notifier: this.#notifier,
            pollIntervalMs: this.#pollIntervalMs,
            onClosed: () => this.#consumersByGroup.delete(options.group),
          },
          options,
        ),
    );
    this.#consumersByGroup.set(options.group, consumer);
    return consumer;
  }

  async healthy(): Promise<boolean> {
    return answers(this.#db);
  }

  /**
   * Deletes what retention allows, in bounded batches between which appends and polls go on (see
   * LogRetention). Runs on a timer, one run at a time (a call during a run joins it); public so
   * tests can run it on demand. Resolves with the number of records deleted.
   */
  applyRetention(now: number = Date.now()): Promise<number> {
    this.#pruning ??= this.#prune(now).finally(() => {
      this.#pruning = undefined;
    });
    return this.#pruning;
  }

  #prune(now: number): Promise<number> {
    return this.#retention.prune({
      appendedBefore: now - this.#retentionMs,
      batchSize: this.#retentionBatchSize,
      stopped: () => this.#closed,
    });
  }

  /** Closes consumers first (their onRevoke may still commit), then the file. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#retentionTimer);
    const closing = [...this.#consumersByGroup.values()].map((consumer) => consumer.close());
    await Promise.allSettled(closing);
    this.#db.close();
  }
}
