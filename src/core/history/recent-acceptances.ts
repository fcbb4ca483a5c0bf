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
 * so a client's GET right after it would find nothing. Each accepted request is remembered for a
 * short while in the idempotency store's engine (the API's own short-lived state, Redis or
 * SQLite), in one call: the accepted request itself under `req:<clientId>:<requestId>`, and under
 * `msg:<clientId>:<messageId>` only its request's id. The views are made from it when read
 * (accepted-views.ts), as history would show them: the write, on every request, stays one
 * serialisation and a few bytes per message; the reads, rare, pay for the rest.
 *
 * Keys carry the client, so a client can only ever recall its own (an id guessed or taken from
 * another client's request finds nothing); the client part is URI-encoded, so no client id with a
 * ':' can make its key another client's, and the request's own clientId is checked on the way out.
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

  /** Stores the request and a pointer to it per new message; throws what the store throws. */
  async remember(request: AcceptedRequest): Promise<void> {
    const { clientId, requestId } = request;
    const entries = [
      { key: requestKey(clientId, requestId), value: JSON.stringify(request) },
      ...request.messages.map((message) => ({
        key: messageKey(clientId, message.messageId),
        value: requestId,
      })),
    ];
    await this.#store.remember(entries, this.#ttlMs);
  }

  async request(clientId: string, requestId: string): Promise<RequestView | undefined> {
    const accepted = await this.#accepted(clientId, requestId);
    return accepted && acceptedRequestView(accepted);
  }

  async message(clientId: string, messageId: string): Promise<MessageView | undefined> {
    const requestId = await this.#recall(messageKey(clientId, messageId));
    const accepted = requestId === undefined ? undefined : await this.#accepted(clientId, requestId);
    return accepted && acceptedMessageViews(accepted).find((view) => view.messageId === messageId);
  }

  /** A miss, a failed store or an unreadable value all answer undefined: history decides then. */
  async #accepted(clientId: string, requestId: string): Promise<AcceptedRequest | undefined> {
    const value = await this.#recall(requestKey(clientId, requestId));
    if (value === undefined) return undefined;
    try {
      const request = JSON.parse(value) as AcceptedRequest;
      return request.clientId === clientId ? request : undefined;
    } catch (error) {
      this.#onError?.(error);
      return undefined;
    }
  }

  async #recall(key: string): Promise<string | undefined> {
    try {
      return await this.#store.recall(key);
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
