import type {
  AcceptedRequest,
  HistoryChange,
  HistoryStore,
  MessageEvent,
  UserPushExpansion,
} from '../../ports/history-store.ts';
import type { Transport } from '../../ports/transport.ts';
import { historyRecords } from './history-log.ts';

/**
 * The history store the API and the workers write through: each write is produced to the history
 * log (acks=all) and resolves once the broker has it, which is what "durable" means for a
 * record's outcome now. The history writer folds the log into the projection (PostgreSQL or
 * SQLite) later; reads go to that projection, so they see a write once the writer has applied it
 * (`herald_history_lag_seconds`), and ReadYourWritesHistory covers a request right after its 202.
 */
export class PublishingHistoryStore implements HistoryStore {
  readonly #transport: Pick<Transport, 'produce'>;
  readonly #projection: HistoryStore;

  constructor(deps: { readonly transport: Pick<Transport, 'produce'>; readonly projection: HistoryStore }) {
    this.#transport = deps.transport;
    this.#projection = deps.projection;
  }

  recordAccepted(request: AcceptedRequest): Promise<void> {
    return this.#publish({ kind: 'accepted', request });
  }

  async appendEvents(events: readonly MessageEvent[]): Promise<void> {
    if (events.length > 0) await this.#publish({ kind: 'events', events });
  }

  async recordExpanded(expansions: readonly UserPushExpansion[]): Promise<void> {
    if (expansions.some((expansion) => expansion.children.length > 0)) {
      await this.#publish({ kind: 'expanded', expansions });
    }
  }

  #publish(change: HistoryChange): Promise<void> {
    return this.#transport.produce(historyRecords(change));
  }

  applyLog: HistoryStore['applyLog'] = (batch) => this.#projection.applyLog(batch);
  findByVendorMessageIds: HistoryStore['findByVendorMessageIds'] = (vendor, ids) =>
    this.#projection.findByVendorMessageIds(vendor, ids);
  getRequest: HistoryStore['getRequest'] = (clientId, requestId) =>
    this.#projection.getRequest(clientId, requestId);
  getMessage: HistoryStore['getMessage'] = (clientId, messageId) =>
    this.#projection.getMessage(clientId, messageId);
  healthy: HistoryStore['healthy'] = () => this.#projection.healthy();

  /** The projection is closed by its owner (closeStores). */
  async close(): Promise<void> {}
}
