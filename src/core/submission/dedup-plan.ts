import type { ContentClaim } from '../../ports/dedup-store.ts';
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
 * the client asked for content dedup (`contentWindowMs`): each new message claims its content key
 * in the dedup store for the client's window, and a key another message holds makes the recipient
 * a `duplicate` of that message. The claim is atomic, so of two identical requests racing each
 * other exactly one sends. Without content dedup, keys are scoped to the request (or its
 * Idempotency-Key) and no earlier request can share one; a client's retry is answered from its
 * idempotency record before it gets here (submit-idempotently.ts).
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
  /** The content claims this request holds: freed again if its messages are not accepted after all. */
  readonly claims: readonly ContentClaim[];
}

export interface DedupWindow {
  readonly now: number;
  /** Content dedup: how long a content key stays claimed (the client's window). Absent: this request only. */
  readonly contentWindowMs?: number;
}

type PlanContext = Pick<SubmissionContext, 'dedup' | 'logger'>;

export async function planDedup(
  context: PlanContext,
  keyed: readonly KeyedMessage[],
  window: DedupWindow,
): Promise<DedupPlan> {
  const candidates: FreshMessage[] = [];
  const repeats: KeyedMessage[] = [];
  const inThisRequest = new Map<string, string>();
  for (const message of keyed) {
    const key = dedupKeyOf(message);
    if (inThisRequest.has(key)) {
      repeats.push(message);
      continue;
    }
    const messageId = newId(window.now);
    inThisRequest.set(key, messageId);
    candidates.push({ ...message, messageId });
  }
  const ours = candidates.map((m) => ({ key: dedupKeyOf(m), messageId: m.messageId }));
  const { held, claims } =
    window.contentWindowMs === undefined
      ? { held: new Map<string, string>(), claims: [] }
      : await claimContent(context, ours, window.contentWindowMs);

  const duplicates: DuplicateRecipient[] = [];
  const duplicateOf = (message: KeyedMessage, messageId: string, earlierRequest: boolean) =>
    duplicates.push({ index: message.index, messageId, channel: message.channel, earlierRequest });
  const fresh = candidates.filter((message) => {
    const earlierId = held.get(dedupKeyOf(message));
    if (earlierId !== undefined) duplicateOf(message, earlierId, true);
    return earlierId === undefined;
  });
  for (const message of repeats) {
    const key = dedupKeyOf(message);
    const earlierId = held.get(key);
    duplicateOf(message, earlierId ?? inThisRequest.get(key)!, earlierId !== undefined);
  }
  return { fresh, duplicates, claims: claims.filter((claim) => !held.has(claim.key)) };
}

/**
 * Fails open: when the dedup store cannot answer, the request goes on as if nothing was sent
 * before (and holds no claim), and the worker's dedup store still keeps a repeated message from
 * reaching a vendor twice within its window.
 */
async function claimContent(
  context: PlanContext,
  claims: readonly ContentClaim[],
  windowMs: number,
): Promise<{ held: Map<string, string>; claims: readonly ContentClaim[] }> {
  try {
    return { held: await context.dedup.claimFirst(claims, windowMs), claims };
  } catch (error) {
    context.logger?.warn({ err: error }, 'content dedup claim failed; continuing without it');
    return { held: new Map(), claims: [] };
  }
}

/**
 * Frees the request's content claims when its messages were not accepted (it answers 503 and the
 * client retries: the retry must not be told its messages are duplicates of ones never queued).
 * Best effort: a claim left behind only lapses with its window.
 */
export async function releaseContentClaims(context: PlanContext, plan: DedupPlan): Promise<void> {
  if (plan.claims.length === 0) return;
  try {
    await context.dedup.releaseClaims(plan.claims);
  } catch (error) {
    context.logger?.warn({ err: error }, 'could not free the content claims of a request not accepted');
  }
}
