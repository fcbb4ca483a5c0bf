import type { Channel } from '../domain/channel.ts';
import { newId } from '../identity/ids.ts';
import type { KeyedMessage } from './key-messages.ts';
import { dedupKeyOf } from './key-messages.ts';
import type { SubmissionContext } from './submission-types.ts';

/**
 * Which recipients become new messages and which repeat a message already accepted.
 *
 * Inside one request, two recipients with the same key (same recipient, same content) are one
 * message: the second is answered `duplicate` with the first one's id. Across requests only when
 * the client asked for content dedup (`lookBackSinceMs`): a content key accepted since then is
 * answered `duplicate` with that earlier message's id. Without it, keys are scoped to the request (or its
 * Idempotency-Key) and no earlier request can share one; a client's retry is answered from its
 * idempotency record before it gets here (submit-idempotently.ts).
 *
 * Content dedup is decided here alone: two identical requests racing each other both pass, and
 * their message keys differ (key-messages.ts), so both are sent. Issue #12 moves the lookup into
 * the dedup store, where a reservation with the client's window as its TTL closes that race.
 */
export interface FreshMessage extends KeyedMessage {
  readonly messageId: string;
}

export interface DuplicateRecipient {
  readonly index: number;
  readonly messageId: string;
  readonly channel: Channel;
  /** True when the message belongs to an earlier request (it then gets a `duplicate` event). */
  readonly earlierRequest: boolean;
}

export interface DedupPlan {
  readonly fresh: readonly FreshMessage[];
  readonly duplicates: readonly DuplicateRecipient[];
}

export interface DedupWindow {
  readonly now: number;
  /** Content dedup: look up keys accepted since this time (epoch ms). Absent: this request only. */
  readonly lookBackSinceMs?: number;
}

export async function planDedup(
  context: Pick<SubmissionContext, 'history' | 'logger'>,
  clientId: string,
  keyed: readonly KeyedMessage[],
  window: DedupWindow,
): Promise<DedupPlan> {
  const earlier =
    window.lookBackSinceMs === undefined
      ? new Map<string, string>()
      : await findEarlier(context, clientId, [...new Set(keyed.map(dedupKeyOf))], window.lookBackSinceMs);
  const fresh: FreshMessage[] = [];
  const duplicates: DuplicateRecipient[] = [];
  const inThisRequest = new Map<string, string>();
  for (const message of keyed) {
    const key = dedupKeyOf(message);
    const earlierId = earlier.get(key);
    const repeatedId = earlierId ?? inThisRequest.get(key);
    if (repeatedId !== undefined) {
      duplicates.push({
        index: message.index,
        messageId: repeatedId,
        channel: message.channel,
        earlierRequest: earlierId !== undefined,
      });
      continue;
    }
    const messageId = newId(window.now);
    inThisRequest.set(key, messageId);
    fresh.push({ ...message, messageId });
  }
  return { fresh, duplicates };
}

/**
 * Fails open: when history cannot answer, the request goes on as if nothing was sent before, and the
 * worker's dedup store still keeps a repeated message from reaching a vendor twice within its window.
 * (Issue #12 moves this lookup from history to the dedup store, off the accept path's database.)
 */
async function findEarlier(
  context: Pick<SubmissionContext, 'history' | 'logger'>,
  clientId: string,
  keys: readonly string[],
  sinceMs: number,
): Promise<Map<string, string>> {
  try {
    return await context.history.findByKeys(clientId, keys, sinceMs);
  } catch (error) {
    context.logger?.warn(
      { err: error },
      'history lookup of earlier message keys failed; continuing without it',
    );
    return new Map();
  }
}
