import type {
  AcceptedRequest,
  HistoryStore,
  MessageView,
  RejectedRecipientView,
  RequestMessageView,
  RequestView,
} from '../../ports/history-store.ts';
import { isUnknownDuplicate } from './accepted-views.ts';
import type { RecentAcceptances } from './recent-acceptances.ts';

export interface ReadYourWritesHistoryDeps {
  readonly inner: HistoryStore;
  readonly recent: Pick<RecentAcceptances, 'remember' | 'request' | 'message'>;
  /** A request history took but that could not be remembered: its GETs wait for the projection. */
  readonly onError?: (error: unknown) => void;
}

/**
 * The API's history store once history is a projection of the log: a request is remembered as it
 * was accepted (RecentAcceptances) right after the inner store took it, and the GETs answer from
 * that memory while the inner store has nothing yet. The inner store's view wins as soon as it has
 * one: it is the record, with the workers' later states. Everything else goes to the inner store.
 */
export class ReadYourWritesHistory implements HistoryStore {
  readonly #inner: HistoryStore;
  readonly #recent: ReadYourWritesHistoryDeps['recent'];
  readonly #onError: ((error: unknown) => void) | undefined;

  constructor(deps: ReadYourWritesHistoryDeps) {
    this.#inner = deps.inner;
    this.#recent = deps.recent;
    this.#onError = deps.onError;
  }

  /** The inner write (the API itself produces a request's record with its messages instead). */
  recordAccepted: HistoryStore['recordAccepted'] = (request) => this.#inner.recordAccepted(request);

  /**
   * Remembers an accepted request for the GETs until the inner store has it. Apart from the
   * request's record so that the API can do it alongside the produce of that record and its
   * messages (the two round trips overlap); a failure only costs read-your-writes for this request,
   * so it is reported, not thrown.
   */
  async rememberAccepted(request: AcceptedRequest): Promise<void> {
    try {
      await this.#recent.remember(request);
    } catch (error) {
      this.#onError?.(error);
    }
  }

  async getRequest(clientId: string, requestId: string): Promise<RequestView | undefined> {
    return this.#firstInner(
      () => this.#inner.getRequest(clientId, requestId),
      async () => {
        const remembered = await this.#recent.request(clientId, requestId);
        return remembered && (await this.#withKnownDuplicates(clientId, remembered));
      },
    );
  }

  async getMessage(clientId: string, messageId: string): Promise<MessageView | undefined> {
    return this.#firstInner(
      () => this.#inner.getMessage(clientId, messageId),
      () => this.#recent.message(clientId, messageId),
    );
  }

  /**
   * The inner store's view, else the remembered one. An inner store that fails (PostgreSQL down:
   * the accept path goes on without it) still lets a remembered request answer; with nothing
   * remembered, its error is the answer (503), not a 404 that would tell the client it is lost.
   */
  async #firstInner<T>(
    inner: () => Promise<T | undefined>,
    recent: () => Promise<T | undefined>,
  ): Promise<T | undefined> {
    let recorded: T | undefined;
    try {
      recorded = await inner();
    } catch (error) {
      const remembered = await recent();
      if (remembered === undefined) throw error;
      return remembered;
    }
    return recorded ?? (await recent());
  }

  /**
   * A remembered request repeating an earlier request's message did not know that message's state:
   * history (or memory, when it is recent too) may know it now, as getRequest would show it.
   */
  async #withKnownDuplicates(clientId: string, view: RequestView): Promise<RequestView> {
    const unknown = view.messages.filter(isUnknownDuplicate);
    if (unknown.length === 0) return view;
    const ids = [...new Set(unknown.map((entry) => entry.messageId))];
    const found = await Promise.all(ids.map((id) => this.getMessage(clientId, id).catch(() => undefined)));
    const known = new Map(ids.map((id, i) => [id, found[i]] as const));
    const messages = view.messages.map((entry): RequestMessageView | RejectedRecipientView => {
      if (!isUnknownDuplicate(entry)) return entry;
      const earlier = known.get(entry.messageId);
      if (earlier === undefined) return entry;
      const { status, vendor, attempts, error, devices, fallback } = earlier;
      return {
        ...entry,
        status,
        vendor,
        attempts,
        error,
        ...(devices && { devices }),
        ...(fallback && { fallback }),
      };
    });
    return { ...view, messages };
  }

  appendEvents: HistoryStore['appendEvents'] = (events) => this.#inner.appendEvents(events);
  recordExpanded: HistoryStore['recordExpanded'] = (expansions) => this.#inner.recordExpanded(expansions);
  applyLog: HistoryStore['applyLog'] = (batch) => this.#inner.applyLog(batch);
  findByVendorMessageIds: HistoryStore['findByVendorMessageIds'] = (vendor, ids) =>
    this.#inner.findByVendorMessageIds(vendor, ids);
  healthy: HistoryStore['healthy'] = () => this.#inner.healthy();
  /** Closes the inner store; the idempotency store under the memory is closed by its owner. */
  close: HistoryStore['close'] = () => this.#inner.close();
}
