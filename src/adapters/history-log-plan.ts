import type {
  AcceptedRequest,
  HistoryLogBatch,
  MessageEvent,
  UserPushExpansion,
} from '../ports/history-store.ts';

/** What a history store writes for a stretch of the history log (HistoryStore.applyLog). */
export interface HistoryLogPlan {
  readonly requests: readonly AcceptedRequest[];
  readonly expansions: readonly UserPushExpansion[];
  /** In log order: the store folds them per message in this order. */
  readonly events: readonly MessageEvent[];
  /** The position to store: after the stretch's last change (unchanged when nothing is new). */
  readonly nextOffset: number;
}

/**
 * The changes of `batch` at or after `appliedUpTo` (the stored position), grouped so the store
 * writes them in three statements whatever the stretch's length: requests, then device messages,
 * then events. Creations go first on purpose: an event only moves a message that exists, and in
 * the log every event already comes after its message's creation, so moving creations ahead of
 * the events of the same stretch changes no outcome.
 */
export function planLogBatch(batch: HistoryLogBatch, appliedUpTo: number): HistoryLogPlan {
  const requests: AcceptedRequest[] = [];
  const expansions: UserPushExpansion[] = [];
  const events: MessageEvent[] = [];
  let nextOffset = appliedUpTo;
  for (const { offset, change } of batch.changes) {
    if (offset < appliedUpTo) continue;
    nextOffset = Math.max(nextOffset, offset + 1);
    if (change.kind === 'accepted') requests.push(change.request);
    else if (change.kind === 'expanded') expansions.push(...change.expansions);
    else events.push(...change.events);
  }
  return { requests, expansions, events, nextOffset };
}
