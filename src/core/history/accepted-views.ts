import type {
  AcceptedRequest,
  MessageView,
  RejectedRecipientView,
  RequestMessageView,
  RequestView,
} from '../../ports/history-store.ts';

/**
 * A request and its messages as history shows them right after recordAccepted, before any worker
 * moved them on: every message `accepted` with its one `accepted` event, no vendor, no attempt, no
 * error. Built from the AcceptedRequest alone, so the API can answer GETs from it while history (a
 * projection of the log) has not caught up. Times are whole ms, as the history stores keep them.
 */
export function acceptedRequestView(request: AcceptedRequest): RequestView {
  const fresh = new Set(request.messages.map((message) => message.messageId));
  const entries: (RequestMessageView | RejectedRecipientView)[] = [
    ...request.messages.map((message) => acceptedEntry(message.index, message.messageId, false)),
    // A repeat of a recipient of this same request: its message is as fresh as the first one. A
    // repeat of an earlier request's message: that message's state is not known here, so the
    // entry says what the 202 answer said of it (`duplicate`) until history has it.
    ...request.duplicates.map(({ index, messageId }) =>
      fresh.has(messageId) ? acceptedEntry(index, messageId, true) : unknownDuplicate(index, messageId),
    ),
    ...(request.rejected ?? []).map(({ index, error }) => ({
      index,
      error: { code: error.code, message: error.message },
    })),
  ];
  return {
    requestId: request.requestId,
    clientId: request.clientId,
    channel: request.channel,
    lane: request.lane,
    acceptedAt: Math.trunc(request.acceptedAt),
    messages: entries.sort((a, b) => a.index - b.index),
  };
}

/** Each message the request created (not its duplicates: those belong to earlier requests). */
export function acceptedMessageViews(request: AcceptedRequest): MessageView[] {
  const at = Math.trunc(request.acceptedAt);
  return request.messages.map((message) => ({
    messageId: message.messageId,
    requestId: request.requestId,
    clientId: request.clientId,
    channel: message.channel,
    lane: request.lane,
    recipient: message.recipientMasked,
    status: 'accepted',
    vendor: null,
    attempts: 0,
    error: null,
    createdAt: at,
    updatedAt: at,
    events: [{ messageId: message.messageId, status: 'accepted', at }],
  }));
}

/**
 * Whether an entry stands for an earlier request's message whose state was not known when it was
 * remembered (a reader may fill it in from history).
 */
export function isUnknownDuplicate(
  entry: RequestMessageView | RejectedRecipientView,
): entry is RequestMessageView {
  return 'messageId' in entry && entry.duplicate && entry.status === 'duplicate';
}

function acceptedEntry(index: number, messageId: string, duplicate: boolean): RequestMessageView {
  return { index, messageId, status: 'accepted', vendor: null, attempts: 0, error: null, duplicate };
}

function unknownDuplicate(index: number, messageId: string): RequestMessageView {
  return { index, messageId, status: 'duplicate', vendor: null, attempts: 0, error: null, duplicate: true };
}
