import { HeraldError, isHeraldError } from '../../core/domain/errors.ts';
import type { Logger } from '../../observability/logger.ts';
import type {
  AcceptedRequest,
  HistoryStore,
  MessageEvent,
  MessageView,
  RequestView,
  UserPushExpansion,
  VendorMessageRef,
} from '../../ports/history-store.ts';
import { HistorySpool, type SpooledWrite } from './history-spool.ts';

export interface SpoolingHistoryStoreOptions {
  readonly inner: HistoryStore;
  /** SQLite file of the spool, on local disk. */
  readonly path: string;
  /** Items (messages + events) the spool may hold; past it writes fail with HERALD_UNAVAILABLE. */
  readonly maxItems: number;
  readonly logger: Logger;
  readonly drainIntervalMs?: number;
}

/**
 * Keeps sending going while the history database is away (DESIGN.md: "PostgreSQL down: sending
 * goes on; history is written when it returns, nothing missing"). A write the database refuses as
 * unavailable goes to a durable local spool instead, and so does every write after it until the
 * spool is empty again, which keeps one process's history in order. A background loop replays
 * the spool, oldest first, once the database answers.
 *
 * Reads are not spooled: during an outage they fail with HERALD_UNAVAILABLE (503), and the API's
 * duplicate lookup fails open (the worker's dedup store still stops a second send).
 */
export class SpoolingHistoryStore implements HistoryStore {
  readonly #inner: HistoryStore;
  readonly #spool: HistorySpool;
  readonly #maxItems: number;
  readonly #logger: Logger;
  readonly #timer: NodeJS.Timeout;
  #draining: Promise<void> | undefined;

  constructor(options: SpoolingHistoryStoreOptions) {
    this.#inner = options.inner;
    this.#spool = new HistorySpool(options.path);
    this.#maxItems = options.maxItems;
    this.#logger = options.logger.child({ component: 'history-spool' });
    this.#timer = setInterval(() => void this.drain(), options.drainIntervalMs ?? 500);
    this.#timer.unref();
    if (this.#spool.items > 0)
      this.#logger.warn({ items: this.#spool.items }, 'history spool has writes from before');
  }

  /** Items waiting in the spool (for /health, metrics and drills). */
  get spooled(): number {
    return this.#spool.items;
  }

  recordAccepted(request: AcceptedRequest): Promise<void> {
    return this.#write({ kind: 'accepted', request }, () => this.#inner.recordAccepted(request));
  }

  appendEvents(events: readonly MessageEvent[]): Promise<void> {
    return this.#write({ kind: 'events', events }, () => this.#inner.appendEvents(events));
  }

  recordExpanded(expansions: readonly UserPushExpansion[]): Promise<void> {
    return this.#write({ kind: 'expanded', expansions }, () => this.#inner.recordExpanded(expansions));
  }

  findByKeys(clientId: string, keys: readonly string[], sinceMs: number): Promise<Map<string, string>> {
    return this.#inner.findByKeys(clientId, keys, sinceMs);
  }

  /** Not spooled: a `sent` still in the spool is not found yet (the receipts worker asks again later). */
  findByVendorMessageIds(vendor: string, ids: readonly string[]): Promise<Map<string, VendorMessageRef>> {
    return this.#inner.findByVendorMessageIds(vendor, ids);
  }

  getRequest(clientId: string, requestId: string): Promise<RequestView | undefined> {
    return this.#inner.getRequest(clientId, requestId);
  }

  getMessage(clientId: string, messageId: string): Promise<MessageView | undefined> {
    return this.#inner.getMessage(clientId, messageId);
  }

  /** Healthy while writes are taken: by the database, or by the spool while it has room. */
  async healthy(): Promise<boolean> {
    return this.#spool.items < this.#maxItems || (await this.#inner.healthy());
  }

  /** Replays the spool into the database, oldest first; stops at the first failure. */
  drain(): Promise<void> {
    this.#draining ??= this.#drainNow().finally(() => {
      this.#draining = undefined;
    });
    return this.#draining;
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.#draining;
    await this.drain().catch(() => {});
    this.#spool.close();
    await this.#inner.close();
  }

  async #write(write: SpooledWrite, direct: () => Promise<void>): Promise<void> {
    if (this.#spool.items === 0) {
      try {
        return await direct();
      } catch (error) {
        if (!isSpoolable(error)) throw error;
        this.#logger.warn({ err: error }, 'history store unavailable, spooling history writes');
      }
    }
    if (this.#spool.items >= this.#maxItems) {
      throw new HeraldError(
        'HERALD_UNAVAILABLE',
        `history spool full (${this.#maxItems} items) and the store is down`,
        {
          retryable: true,
        },
      );
    }
    this.#spool.push(write);
  }

  async #drainNow(): Promise<void> {
    for (let next = this.#spool.oldest(); next; next = this.#spool.oldest()) {
      try {
        await this.#replay(next.write);
      } catch (error) {
        // Still away: try again on the next tick. (A write applied just before a crash is applied
        // again after it: recordAccepted ignores what exists and terminal states hold.)
        if (isSpoolable(error)) return;
        // The database answers but refuses this write for good (bad data): park it so it cannot
        // block the writes behind it, and say so loudly.
        this.#logger.error({ err: error, seq: next.seq }, 'history spool write refused, parked');
        this.#spool.park(next.seq, next.write);
        continue;
      }
      this.#spool.remove(next.seq, next.write);
      if (this.#spool.items === 0) this.#logger.info('history spool drained');
    }
  }

  #replay(write: SpooledWrite): Promise<void> {
    switch (write.kind) {
      case 'accepted':
        return this.#inner.recordAccepted(write.request);
      case 'events':
        return this.#inner.appendEvents(write.events);
      case 'expanded':
        return this.#inner.recordExpanded(write.expansions);
    }
  }
}

/** Only an outage is worth waiting for; a write the database refuses for good is not. */
function isSpoolable(error: unknown): boolean {
  return isHeraldError(error) && error.code === 'HERALD_UNAVAILABLE' && error.retryable;
}
