import type { AcceptedRequest, MessageView, RequestView } from '../../ports/history-store.ts';
import type { IdempotencyStore } from '../../ports/idempotency-store.ts';
import { acceptedMessageViews, acceptedRequestView } from './accepted-views.ts';

/** Long enough for the history projection to catch up after a pause, short enough to stay small. */
export const DEFAULT_RECENT_ACCEPTANCES_TTL_MS = 10 * 60_000;

export interface RecentAcceptancesOptions {
  /** How long a request and its messages are kept, ms. Default 10 minutes. */
  readonly ttlMs?: number;
  /** A recall that failed or held something unreadable; the read then answers undefined. */
  readonly onError?: (error: unknown) => void;
}

/**
 * Read-your-writes for the accept path: history is a projection written a little after the 202,
 * so a client's GET right after it would find nothing. Each accepted request is remembered, as
 * history will show it, for a short while in the idempotency store's engine (the API's own
 * short-lived state, Redis or SQLite): the request under `req:<clientId>:<requestId>`, each new
 * message under `msg:<clientId>:<messageId>`, all in one call.
 *
 * Keys carry the client, so a client can only ever recall its own (an id guessed or taken from
 * another client's request finds nothing); the client part is URI-encoded, so no client id with a
 * ':' can make its key another client's, and the view's own clientId is checked on the way out.
 */
export class RecentAcceptances {
  readonly #store: Pick<IdempotencyStore, 'remember' | 'recall'>;
  readonly #ttlMs: number;
  readonly #onError: ((error: unknown) => void) | undefined;

  constructor(store: Pick<IdempotencyStore, 'remember' | 'recall'>, options: RecentAcceptancesOptions = {}) {
    this.#store = store;
    this.#ttlMs = options.ttlMs ?? DEFAULT_RECENT_ACCEPTANCES_TTL_MS;
    this.#onError = options.onError;
  }

  /** Stores the request's view and one view per new message; throws what the store throws. */
  async remember(request: AcceptedRequest): Promise<void> {
    const { clientId, requestId } = request;
    const entries = [
      { key: requestKey(clientId, requestId), value: JSON.stringify(acceptedRequestView(request)) },
      ...acceptedMessageViews(request).map((view) => ({
        key: messageKey(clientId, view.messageId),
        value: JSON.stringify(view),
      })),
    ];
    await this.#store.remember(entries, this.#ttlMs);
  }

  request(clientId: string, requestId: string): Promise<RequestView | undefined> {
    return this.#read<RequestView>(requestKey(clientId, requestId), clientId);
  }

  message(clientId: string, messageId: string): Promise<MessageView | undefined> {
    return this.#read<MessageView>(messageKey(clientId, messageId), clientId);
  }

  /** A miss, a failed store or an unreadable value all answer undefined: history decides then. */
  async #read<T extends { readonly clientId: string }>(
    key: string,
    clientId: string,
  ): Promise<T | undefined> {
    try {
      const value = await this.#store.recall(key);
      if (value === undefined) return undefined;
      const view = JSON.parse(value) as T;
      return view.clientId === clientId ? view : undefined;
    } catch (error) {
      this.#onError?.(error);
      return undefined;
    }
  }
}

function requestKey(clientId: string, requestId: string): string {
  return `req:${encodeURIComponent(clientId)}:${requestId}`;
}

function messageKey(clientId: string, messageId: string): string {
  return `msg:${encodeURIComponent(clientId)}:${messageId}`;
}
