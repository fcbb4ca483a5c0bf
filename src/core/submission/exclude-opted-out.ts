import { optOutHashes, optOutScope } from '../content/ad-opt-out.ts';
import { HeraldError, isHeraldError } from '../domain/errors.ts';
import type { PreparedMessage } from './prepare-recipient.ts';
import type { RecipientError, SubmissionContext, SubmissionRequest } from './submission-types.ts';

export interface OptOutScreen {
  readonly kept: readonly PreparedMessage[];
  readonly rejected: readonly { readonly index: number; readonly error: RecipientError }[];
}

/**
 * Opted-out recipients are never sent ads (정보통신망법 §50②): on the ad lane, each recipient on
 * the client's list for the channel is refused with HERALD_RECIPIENT_OPTED_OUT, the others go on.
 * One store round-trip for the whole request. An e-mail address is looked up case-folded (and,
 * when it has capitals, also as written, for entries stored before the folding; see optOutHashes).
 *
 * Checked here, at acceptance, and not again at send time: an opt-out that arrives while an ad
 * waits in a queue (at most its expiry, or a night's deferral) does not stop it. Acceptable for
 * now; a send-time check would need the list in the worker's path.
 *
 * Fails closed, unlike the dedup checks: sending an ad to someone who refused it breaks the law,
 * so when the list cannot be read the request is answered 503 and nothing is queued.
 */
export async function excludeOptedOut(
  context: Pick<SubmissionContext, 'optOuts' | 'recipientHashSecret'>,
  request: SubmissionRequest,
  prepared: readonly PreparedMessage[],
): Promise<OptOutScreen> {
  if (request.lane !== 'ad' || prepared.length === 0) return { kept: prepared, rejected: [] };
  const scope = optOutScope(request.channel);
  const hashes = prepared.map((m) => optOutHashes(request.channel, m.to, context.recipientHashSecret));
  const listed = await readList(context, request.clientId, scope, hashes.flat());
  const kept: PreparedMessage[] = [];
  const rejected: { index: number; error: RecipientError }[] = [];
  prepared.forEach((message, i) => {
    if (!hashes[i]!.some((hash) => listed.has(hash))) {
      kept.push(message);
      return;
    }
    const error = new HeraldError(
      'HERALD_RECIPIENT_OPTED_OUT',
      `recipients[${message.index}] opted out of your ads on ${scope} (정보통신망법 §50②); ` +
        'they can be sent ads again only after DELETE /v1/opt-outs, once they consent again',
      { field: `recipients[${message.index}].to` },
    );
    rejected.push({ index: message.index, error: error.toJSON() });
  });
  return { kept, rejected };
}

async function readList(
  context: Pick<SubmissionContext, 'optOuts'>,
  clientId: string,
  scope: ReturnType<typeof optOutScope>,
  hashes: readonly string[],
): Promise<Set<string>> {
  try {
    return await context.optOuts.findOptOuts(clientId, scope, hashes);
  } catch (error) {
    throw new HeraldError(
      'HERALD_UNAVAILABLE',
      'herald cannot read the advertising opt-out list right now, and sends no ad unchecked; ' +
        'retry after Retry-After',
      { retryable: true, retryAfterMs: isHeraldError(error) ? error.retryAfterMs : undefined, cause: error },
    );
  }
}
