import type { ConfigStore } from '../../ports/config-store.ts';
import { isAdChannel } from '../content/ad-marking.ts';
import { optOutEntry } from '../content/ad-opt-out.ts';
import type { Channel } from '../domain/channel.ts';
import { HeraldError, isHeraldError } from '../domain/errors.ts';
import type { Envelope } from '../domain/message.ts';
import { recipientIdentity } from '../identity/user-recipient.ts';

export interface OptOutRecheckContext {
  readonly optOuts: Pick<ConfigStore, 'findOptOuts'>;
  readonly recipientHashSecret: string;
}

export interface Rechecked {
  readonly sendable: readonly Envelope[];
  /** Never to be sent: the recipient opted out while the ad waited (or can no longer be checked). */
  readonly refused: readonly { readonly envelope: Envelope; readonly error: HeraldError }[];
}

interface Group {
  readonly clientId: string;
  readonly scope: Channel;
  /** Each ad with the hashes its recipient may be listed under (any one of them is an opt-out). */
  readonly members: { readonly envelope: Envelope; readonly hashes: readonly string[] }[];
}

/**
 * The opt-out list again, for ads that waited (정보통신망법 §50②: once a recipient opts out, sending
 * stops): an ad accepted at 22:00 and deferred to 08:00 is not sent to someone who opted out at 23:00.
 * Each recipient is keyed by `optOutEntry`, the very function the opt-out API keys the list with,
 * so the two can never disagree on normalisation or hashing; a push to a user is keyed `user:<id>`,
 * as at acceptance. One store round trip per client and medium in the batch (a morning wave is
 * usually one campaign: one round trip per batch).
 *
 * Fails closed, as at acceptance: when the list cannot be read, this throws HERALD_UNAVAILABLE and
 * the caller sends none of the batch (it stays parked and is checked again later).
 */
export async function recheckOptOuts(
  context: OptOutRecheckContext,
  envelopes: readonly Envelope[],
): Promise<Rechecked> {
  const groups = new Map<string, Group>();
  const refused: { envelope: Envelope; error: HeraldError }[] = [];
  for (const envelope of envelopes) {
    const entry = isAdChannel(envelope.channel)
      ? optOutEntry(envelope.channel, recipientIdentity(envelope), context.recipientHashSecret)
      : undefined;
    if (!entry?.ok) {
      refused.push({ envelope, error: entry?.error ?? notAnAdChannel(envelope.channel) });
      continue;
    }
    const { scope, recipientHash, exactCaseHash } = entry.value;
    const groupKey = `${envelope.clientId}\u0000${scope}`;
    const group = groups.get(groupKey) ?? { clientId: envelope.clientId, scope, members: [] };
    // The exact-case hash too: entries stored before e-mail addresses were case-folded carry it.
    const hashes = exactCaseHash === undefined ? [recipientHash] : [recipientHash, exactCaseHash];
    group.members.push({ envelope, hashes });
    groups.set(groupKey, group);
  }
  const sendable: Envelope[] = [];
  const lists = await Promise.all([...groups.values()].map((group) => readList(context, group)));
  [...groups.values()].forEach((group, i) => {
    for (const { envelope, hashes } of group.members) {
      if (hashes.some((hash) => lists[i]!.has(hash)))
        refused.push({ envelope, error: optedOut(group.scope) });
      else sendable.push(envelope);
    }
  });
  return { sendable, refused };
}

async function readList(context: OptOutRecheckContext, group: Group): Promise<Set<string>> {
  const hashes = group.members.flatMap((member) => member.hashes);
  try {
    return await context.optOuts.findOptOuts(group.clientId, group.scope, hashes);
  } catch (error) {
    throw new HeraldError(
      'HERALD_UNAVAILABLE',
      'the advertising opt-out list cannot be read; waiting ads stay parked until it can',
      { retryable: true, retryAfterMs: isHeraldError(error) ? error.retryAfterMs : undefined, cause: error },
    );
  }
}

function optedOut(scope: Channel): HeraldError {
  return new HeraldError(
    'HERALD_RECIPIENT_OPTED_OUT',
    `the recipient opted out of your ads on ${scope} while this ad waited to be sent ` +
      '(정보통신망법 §50②); not sent',
  );
}

function notAnAdChannel(channel: Channel): HeraldError {
  return new HeraldError('HERALD_AD_NOT_ALLOWED_ON_CHANNEL', `ads cannot be sent on ${channel}; not sent`);
}
