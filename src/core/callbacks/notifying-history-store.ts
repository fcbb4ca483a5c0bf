import type { HistoryLogBatch, HistoryStore, MessageEvent } from '../../ports/history-store.ts';
import type { OutgoingRecord, Transport } from '../../ports/transport.ts';
import type { WebhookStore } from '../../ports/webhook-store.ts';
import { BatchingWriter } from '../pipeline/batching-writer.ts';
import { type CallbackRecord, notifies, toCallbackEvent } from './callback-event.ts';
import { callbacksTopic } from './callback-topics.ts';

export interface NotifyingHistoryDeps {
  readonly inner: HistoryStore;
  readonly transport: Pick<Transport, 'produce'>;
  readonly webhooks: Pick<WebhookStore, 'get'>;
  /** How long "has a webhook" is believed, ms; default 1 s (a new registration is heard within it). */
  readonly cacheTtlMs?: number;
  readonly now?: () => number;
  readonly onError?: (error: unknown, items: number) => void;
}

/**
 * History that tells clients of status changes: after the inner write succeeds, each event with a
 * client and a notifying status (callback-event.ts) goes to herald.callbacks as a record of its
 * own, when that client has a webhook. It wraps the history store where it is written: the
 * history writer's applyLog (the events of the API and the lanes, from the history log) and the
 * receipts worker's appendEvents. A write resolves only once both are durable, so a crash in
 * between re-reads the log stretch or the receipt (the event is not applied twice: the position
 * or the receipt's state says so; its callback goes again, with the same id) instead of losing
 * it. The produce is retried until it succeeds. The lanes never wait for a receiver.
 */
export class NotifyingHistoryStore implements HistoryStore {
  readonly #inner: HistoryStore;
  readonly #webhooks: Pick<WebhookStore, 'get'>;
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #registered = new Map<string, { has: boolean; until: number }>();
  readonly #produce: BatchingWriter<OutgoingRecord>;

  constructor(deps: NotifyingHistoryDeps) {
    this.#inner = deps.inner;
    this.#webhooks = deps.webhooks;
    this.#ttlMs = deps.cacheTtlMs ?? 1_000;
    this.#now = deps.now ?? Date.now;
    this.#produce = new BatchingWriter({
      flush: (records) => deps.transport.produce(records),
      ...(deps.onError && { onFlushError: deps.onError }),
    });
  }

  async appendEvents(events: readonly MessageEvent[]): Promise<void> {
    await this.#inner.appendEvents(events);
    await this.notify(events);
  }

  /**
   * The history writer's fold of the history log: the clients are told of every event of the
   * stretch, also of those skipped as applied already (their callback may not have gone out
   * before a crash; same id, so a receiver drops a repeat).
   */
  async applyLog(batch: HistoryLogBatch): Promise<void> {
    await this.#inner.applyLog(batch);
    await this.notify(batch.changes.flatMap(({ change }) => (change.kind === 'events' ? change.events : [])));
  }

  /**
   * Tells the clients of these events without writing them: for a status change history already
   * has, whose callback may not have gone out (its writer died between the two). The callback id
   * is the event's, so a receiver that had it already sees a repeat it can drop.
   */
  async notify(events: readonly MessageEvent[]): Promise<void> {
    const notifying = events.filter(notifies);
    if (notifying.length === 0) return;
    const records: OutgoingRecord[] = [];
    for (const event of notifying) {
      if (!(await this.#hasWebhook(event.clientId))) continue;
      const record: CallbackRecord = {
        clientId: event.clientId,
        events: [toCallbackEvent(event)],
        attempt: 0,
        firstAt: event.at,
      };
      records.push({ topic: callbacksTopic(), key: event.clientId, value: JSON.stringify(record) });
    }
    await this.#produce.write(records);
  }

  /**
   * Cached per client for the TTL. A store that cannot answer counts as "has one": the callbacks
   * worker drops events of clients without a webhook, so producing too much costs little, and
   * producing too little would lose a status change.
   */
  async #hasWebhook(clientId: string): Promise<boolean> {
    const now = this.#now();
    const cached = this.#registered.get(clientId);
    if (cached && cached.until > now) return cached.has;
    const has = await this.#webhooks.get(clientId).then(
      (webhook) => webhook !== undefined,
      () => true,
    );
    this.#registered.set(clientId, { has, until: now + this.#ttlMs });
    return has;
  }

  recordAccepted: HistoryStore['recordAccepted'] = (request) => this.#inner.recordAccepted(request);
  recordExpanded: HistoryStore['recordExpanded'] = (expansions) => this.#inner.recordExpanded(expansions);
  findByVendorMessageIds: HistoryStore['findByVendorMessageIds'] = (vendor, ids) =>
    this.#inner.findByVendorMessageIds(vendor, ids);
  getRequest: HistoryStore['getRequest'] = (clientId, requestId) =>
    this.#inner.getRequest(clientId, requestId);
  getMessage: HistoryStore['getMessage'] = (clientId, messageId) =>
    this.#inner.getMessage(clientId, messageId);
  healthy: HistoryStore['healthy'] = () => this.#inner.healthy();

  /** Writes what is buffered; the inner store is closed by its owner (closeStores). */
  async close(): Promise<void> {
    await this.#produce.drain();
  }
}
