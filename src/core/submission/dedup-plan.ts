import type { Channel } from '../domain/channel.ts';
import { newId } from '../identity/ids.ts';
import type { PreparedMessage } from './prepare-recipient.ts';
import type { SubmissionContext } from './submission-types.ts';

/**
 * API-level idempotency: a recipient whose message key was accepted before (within the dedup
 * window) is answered with the earlier message's id and status `duplicate` instead of becoming a
 * second message. Two recipients of one request with the same key: the second repeats the first.
 *
 * This is a courtesy to clients retrying a request, not the guarantee: two identical requests
 * racing each other both pass here, and the worker's dedup store (same key) stops the second send.
 */
export interface FreshMessage extends PreparedMessage {
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

export async function planDedup(
  context: Pick<SubmissionContext, 'history' | 'logger'>,
  clientId: string,
  prepared: readonly PreparedMessage[],
  window: { readonly sinceMs: number; readonly now: number },
): Promise<DedupPlan> {
  const keys = [...new Set(prepared.map((m) => m.key))];
  const earlier = await findEarlier(context, clientId, keys, window.sinceMs);
  const fresh: FreshMessage[] = [];
  const duplicates: DuplicateRecipient[] = [];
  const inThisRequest = new Map<string, string>();
  for (const message of prepared) {
    const earlierId = earlier.get(message.key);
    const repeatedId = earlierId ?? inThisRequest.get(message.key);
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
    inThisRequest.set(message.key, messageId);
    fresh.push({ ...message, messageId });
  }
  return { fresh, duplicates };
}

/**
 * Fails open: when history cannot answer, the request goes on as if nothing was sent before, and the
 * worker's dedup store still keeps a repeated message from reaching a vendor twice.
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
