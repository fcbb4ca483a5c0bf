import { canMove, isTerminal, type MessageStatus } from '../../core/domain/message-status.ts';
import type { MessageEvent } from '../../ports/history-store.ts';

/**
 * What a batch of events does to one message's row, folded in order, so the whole batch is one
 * UPDATE (PostgreSQL applies at most one source row per target row in UPDATE ... FROM).
 *
 * Event by event, the embedded store: takes the status, keeps the highest attempt, keeps the last
 * vendor named, clears the error on `sent`, replaces it when the event carries one, moves
 * updated_at forward; and stops at a terminal status (but for `sent`, which still takes its
 * delivery result: canMove). The fold does the same from the row's point of view: the events the
 * row would take count, the rest are history only.
 * A `duplicate` carrying a requestId (a later request repeating this message) is history only too:
 * the message itself is still on its way or sent. Whether the row itself is already terminal is for
 * the UPDATE to check, under its row lock.
 */
export interface MessageDelta {
  readonly messageId: string;
  readonly status: MessageStatus;
  readonly attempt: number;
  /** The last vendor the counted events named, or null to keep the row's. */
  readonly vendor: string | null;
  /** The vendor's id from a counted `sent`, or null to keep the row's. */
  readonly vendorMessageId: string | null;
  /** The network from a counted delivery result, or null to keep the row's. */
  readonly carrier: string | null;
  readonly error: ErrorChange;
  readonly at: number;
}

export type ErrorChange =
  | { readonly kind: 'keep' }
  | { readonly kind: 'clear' }
  | { readonly kind: 'set'; readonly code: string; readonly message: string };

export function foldEvents(events: readonly MessageEvent[]): MessageDelta[] {
  const deltas = new Map<string, MessageDelta>();
  for (const event of events) {
    const previous = deltas.get(event.messageId);
    if (isRepeatByLaterRequest(event)) continue;
    if (previous && !canMove(previous.status, event.status)) {
      if (!hidesFromSentRow(previous, event)) continue;
      // The row may be `sent`, which refuses the delta so far: start again from this event.
      deltas.set(event.messageId, apply(undefined, event));
      continue;
    }
    deltas.set(event.messageId, apply(previous, event));
  }
  return [...deltas.values()];
}

/**
 * Whether the delta so far is a terminal state a `sent` row refuses (the `duplicate` of a record
 * redelivered after its send was confirmed, say) while `event` is one a `sent` row takes (its
 * delivery result): the fold cannot see the row, and the UPDATE would drop the whole delta, the
 * delivery result with it. Seen by the kill drill: an AlimTalk's redelivered record and its result
 * written in one batch left the message `sent` for good.
 */
function hidesFromSentRow(previous: MessageDelta, event: MessageEvent): boolean {
  return isTerminal(previous.status) && !canMove('sent', previous.status) && canMove('sent', event.status);
}

function isRepeatByLaterRequest(event: MessageEvent): boolean {
  return event.status === 'duplicate' && event.requestId !== undefined;
}

function apply(previous: MessageDelta | undefined, event: MessageEvent): MessageDelta {
  return {
    messageId: event.messageId,
    status: event.status,
    attempt: Math.max(previous?.attempt ?? 0, event.attempt ?? 0),
    vendor: event.vendor ?? previous?.vendor ?? null,
    vendorMessageId: event.vendorMessageId ?? previous?.vendorMessageId ?? null,
    carrier: event.carrier ?? previous?.carrier ?? null,
    error: errorChange(previous?.error ?? { kind: 'keep' }, event),
    at: Math.max(previous?.at ?? Number.NEGATIVE_INFINITY, event.at),
  };
}

function errorChange(previous: ErrorChange, event: MessageEvent): ErrorChange {
  if (event.status === 'sent') return { kind: 'clear' };
  if (event.errorCode !== undefined)
    return { kind: 'set', code: event.errorCode, message: event.errorMessage ?? '' };
  return previous;
}
