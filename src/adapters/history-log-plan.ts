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
 * How long the events of a message that does not exist yet wait for it, ms. A message's creation
 * (its request's record) is produced together with the message itself, in one produce: on one
 * broker one Produce request, but its partitions are appended one after another, and in a cluster
 * the history log's partition and the send topic's have different leaders. So a worker can,
 * rarely, take a message and log its `sent` before the history log has the request's record. The
 * store keeps such an event (as every event) and notes its message as a pending fold; when the
 * message is created, its row takes the events it missed, in the order they were written.
 *
 * The log is applied in order, so a creation comes a few records after its early event, or never
 * (the produce failed halfway and the client was answered 503). A note older than this is dropped:
 * while any note waits, every stretch the writer applies looks for the messages of all of them.
 */
export const PENDING_FOLD_MS = 3_600_000;

/**
 * The changes of `batch` at or after `appliedUpTo` (the stored position), grouped so the store
 * writes them in three statements whatever the stretch's length: requests, then device messages,
 * then events. Creations go first on purpose: an event only moves a message that exists, so moving
 * creations ahead of the events of the same stretch lets an event that came early find its
 * message; one whose message comes in a later stretch waits as a pending fold (above).
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
