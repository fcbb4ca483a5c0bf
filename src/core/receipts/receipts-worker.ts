import type { Logger } from '../../observability/logger.ts';
import type { HeraldMetrics } from '../../observability/metrics.ts';
import type { HistoryStore, MessageEvent, VendorMessageRef } from '../../ports/history-store.ts';
import type { OutgoingRecord, Transport, TransportRecord } from '../../ports/transport.ts';
import type { RemoteConfigDocument } from '../domain/remote-config.ts';
import { BatchingWriter } from '../pipeline/batching-writer.ts';
import { type ConsumerStatus, type Finish, PollLoop } from '../pipeline/poll-loop.ts';
import { RECEIPTS_RETRY_TOPIC, RECEIPTS_TOPIC, RECEIPTS_UNMATCHED_TOPIC } from '../pipeline/topics.ts';
import { STOPPED, untilStopped } from '../pipeline/until-stopped.ts';
import { BoundedLabel } from './bounded-label.ts';
import { type MatchedReceipt, matchReceipts } from './match-receipts.ts';
import { decodeReceiptRecord, type ReceiptRecord, receiptRecord } from './receipt-codec.ts';
import { receiptEvent } from './receipt-event.ts';

export interface ReceiptsWorkerDeps {
  readonly transport: Pick<Transport, 'consumer' | 'produce'>;
  readonly history: Pick<HistoryStore, 'appendEvents' | 'findByVendorMessageIds'>;
  /**
   * Status callbacks of receipts that write nothing (the message already has their state): such a
   * receipt may be the redelivery of one whose history write made it but whose callback did not
   * (the worker died in between), so its callback goes out again (same id: receivers drop repeats).
   */
  readonly callbacks?: { notify(events: readonly MessageEvent[]): Promise<void> };
  readonly config: () => RemoteConfigDocument;
  readonly metrics: HeraldMetrics;
  readonly logger: Logger;
  readonly now?: () => number;
  /**
   * The waits before each new try of a receipt that matched no message; after the last it is kept on
   * herald.receipts.unmatched. Default 10 s, 30 s, 1, 2, 3 and 4 min: about 10 min in all, for a
   * `sent` still in the history spool while its store was down.
   */
  readonly unmatchedDelaysMs?: readonly number[];
  /** Records read and not yet finished (held for their next try included); at the bound it stops fetching. */
  readonly maxWaiting?: number;
}

const DEFAULT_UNMATCHED_DELAYS_MS = [10_000, 30_000, 60_000, 120_000, 180_000, 240_000];
/** Distinct result codes per vendor kept as their own label value; later ones count as `other`. */
const MAX_RESULT_CODES = 50;

interface Item {
  readonly record: TransportRecord;
  readonly value: ReceiptRecord;
}

/**
 * Applies delivery receipts to history: one consumer group (`herald-receipts`) over the receipts
 * topic and its retry topic. Per batch, one `findByVendorMessageIds` per vendor, then the events
 * (match-receipts.ts), then the unmatched receipts onto the retry topic (next try after a delay)
 * or, out of tries, onto herald.receipts.unmatched; each record is finished only once all of that
 * is durable, so a crash re-reads it (and a receipt applied before the crash is then a duplicate,
 * written nothing). A retry record whose time has not come is held in memory, its offset
 * uncommitted (re-read and held again after a crash); the retry topic is written in due order, so
 * holding it costs no more than its backlog. A store that is down is waited out, never skipped.
 */
export class ReceiptsWorker {
  readonly #deps: ReceiptsWorkerDeps;
  readonly #now: () => number;
  readonly #delays: readonly number[];
  readonly #loop: PollLoop;
  readonly #stop = new AbortController();
  readonly #timers = new Set<NodeJS.Timeout>();
  /** Held receipts whose time came, waiting for the next turn of the event loop to go as one batch. */
  readonly #due: { readonly item: Item; readonly finish: Finish }[] = [];
  readonly #history: BatchingWriter<MessageEvent>;
  readonly #produce: BatchingWriter<OutgoingRecord>;
  readonly #codes = new BoundedLabel(MAX_RESULT_CODES);
  readonly #logger: Logger;
  /** The batch being applied: the next one waits for it (see #apply). */
  #applying: Promise<void> = Promise.resolve();

  constructor(deps: ReceiptsWorkerDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
    this.#delays = deps.unmatchedDelaysMs ?? DEFAULT_UNMATCHED_DELAYS_MS;
    this.#logger = deps.logger.child({ worker: 'receipts' });
    this.#history = new BatchingWriter({ flush: (events) => deps.history.appendEvents(events) });
    this.#produce = new BatchingWriter({ flush: (records) => deps.transport.produce(records) });
    this.#loop = new PollLoop({
      name: 'receipts',
      group: 'herald-receipts',
      topics: [RECEIPTS_TOPIC, RECEIPTS_RETRY_TOPIC],
      transport: deps.transport,
      metrics: deps.metrics,
      logger: this.#logger,
      config: deps.config,
      limits: () => ({ batchSize: 500, maxInFlight: deps.maxWaiting ?? 20_000 }),
      handle: (records, finish) => this.#handle(records, finish),
    });
  }

  status(): ConsumerStatus {
    return this.#loop.status();
  }

  start(): Promise<void> {
    return this.#loop.start();
  }

  /** Held receipts are not waited for: their offsets stay uncommitted and are read again at start. */
  async stop(): Promise<void> {
    this.#stop.abort();
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    await this.#loop.stop(2_000);
    await Promise.all([this.#history.drain(), this.#produce.drain()]);
  }

  async #handle(records: readonly TransportRecord[], finish: Finish): Promise<void> {
    const now = this.#now();
    const due: Item[] = [];
    for (const record of records) {
      const value = decodeReceiptRecord(record.value);
      if (!value) {
        this.#deps.metrics.poisonRecords.inc({ topic: record.topic });
        this.#logger.error(
          { topic: record.topic, offset: record.offset },
          'skipping a record that is not a receipt',
        );
        finish(record);
      } else if ((value.notBefore ?? 0) > now) {
        this.#hold({ record, value }, value.notBefore! - now, finish);
      } else {
        due.push({ record, value });
      }
    }
    await this.#apply(due, finish);
  }

  /** Holds a retry record until due; records coming due together are applied as one batch. */
  #hold(item: Item, waitMs: number, finish: Finish): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.#due.push({ item, finish });
      if (this.#due.length === 1) setImmediate(() => this.#applyDue());
    }, waitMs);
    this.#timers.add(timer);
  }

  #applyDue(): void {
    const due = this.#due.splice(0);
    if (this.#stop.signal.aborted) return;
    // Each record is finished through its own batch's finish (the poll loop's, per polled batch).
    const finishes = new Map(due.map(({ item, finish }) => [item.record, finish]));
    const finish: Finish = (record) => finishes.get(record)?.(record);
    this.#apply(
      due.map(({ item }) => item),
      finish,
    ).catch((error: unknown) =>
      this.#logger.error(
        { err: error },
        'held receipts could not be applied; they are read again after a restart',
      ),
    );
  }

  /**
   * One batch at a time: the poll loop hands over the next batch without waiting for this one, and
   * two batches holding receipts of one message (a look-up redone after a crash, a webhook and a
   * look-up) would both read the message as `sent` and both write its result. In turn, each batch
   * reads the history the one before it wrote (a batch is one look-up and one write: cheap).
   */
  #apply(items: readonly Item[], finish: Finish): Promise<void> {
    if (items.length === 0) return Promise.resolve();
    const turn = this.#applying.then(() => this.#applyNow(items, finish));
    this.#applying = turn.catch(() => {});
    return turn;
  }

  async #applyNow(items: readonly Item[], finish: Finish): Promise<void> {
    const found = await this.#find(items);
    if (!found) return;
    const match = matchReceipts(items, (vendor, id) => found.get(vendor)?.get(id));
    const now = this.#now();
    const later = match.unmatched.map((item) => this.#unmatchedRecord(item.value, now));
    const repeated = match.duplicates.map(({ value }) =>
      receiptEvent(value.receipt, found.get(value.receipt.vendor)!.get(value.receipt.vendorMessageId)!),
    );
    await Promise.all([
      this.#history.write(match.events),
      this.#produce.write(later),
      repeated.length > 0 ? this.#deps.callbacks?.notify(repeated) : undefined,
    ]);
    this.#count(match.matched, match.duplicates, match.unmatched);
    for (const { record } of items) finish(record);
  }

  /** The messages of the batch's receipts, per vendor; undefined when stopped while the store was down. */
  async #find(items: readonly Item[]): Promise<Map<string, Map<string, VendorMessageRef>> | undefined> {
    const byVendor = Map.groupBy(items, ({ value }) => value.receipt.vendor);
    const found = await untilStopped(
      async () => {
        const found = new Map<string, Map<string, VendorMessageRef>>();
        for (const [vendor, group] of byVendor) {
          const ids = group.map(({ value }) => value.receipt.vendorMessageId);
          found.set(vendor, await this.#deps.history.findByVendorMessageIds(vendor, ids));
        }
        return found;
      },
      this.#stop.signal,
      (error, backoffMs) =>
        this.#logger.warn({ err: error, backoffMs }, 'history store unavailable; receipts wait, uncommitted'),
    );
    return found === STOPPED ? undefined : found;
  }

  /** The next try on the retry topic, or, out of tries, the receipt kept on the unmatched topic. */
  #unmatchedRecord(value: ReceiptRecord, now: number): OutgoingRecord {
    const delay = this.#delays[value.matchAttempt];
    if (delay === undefined) {
      return receiptRecord({ ...value, notBefore: undefined }, RECEIPTS_UNMATCHED_TOPIC);
    }
    return receiptRecord(
      { ...value, matchAttempt: value.matchAttempt + 1, notBefore: now + delay },
      RECEIPTS_RETRY_TOPIC,
    );
  }

  #count(
    matched: readonly MatchedReceipt<Item>[],
    duplicates: readonly Item[],
    unmatched: readonly Item[],
  ): void {
    const { metrics } = this.#deps;
    for (const { item, message, moved } of matched) {
      const { receipt, sentAt } = item.value;
      if (receipt.code !== '') {
        metrics.vendorResultCodes.inc({
          vendor: receipt.vendor,
          code: this.#codes.of(receipt.vendor, receipt.code),
        });
      }
      if (!moved) {
        metrics.receiptsLate.inc({ vendor: receipt.vendor });
        continue;
      }
      const labels = { vendor: receipt.vendor, channel: message.channel, carrier: receipt.carrier };
      metrics.receipts.inc({ ...labels, state: receipt.state, source: receipt.source });
      if (receipt.state === 'delivered' && sentAt !== undefined) {
        metrics.deliveryLatency.observe(labels, Math.max(0, receipt.at - sentAt) / 1_000);
      }
    }
    for (const { value } of duplicates) metrics.receiptsDuplicate.inc({ vendor: value.receipt.vendor });
    for (const { value } of unmatched) {
      const outcome = value.matchAttempt < this.#delays.length ? 'retried' : 'kept';
      metrics.receiptsUnmatched.inc({ vendor: value.receipt.vendor, outcome });
      if (outcome === 'kept') {
        this.#logger.warn(
          { vendor: value.receipt.vendor, source: value.receipt.source, tries: value.matchAttempt + 1 },
          'a receipt matched no message; kept on herald.receipts.unmatched',
        );
      }
    }
  }
}
