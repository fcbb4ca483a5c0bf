import type { Channel } from '../domain/channel.ts';
import { hashRecipient } from '../identity/recipient-privacy.ts';
import type { AdChannel } from './ad-marking.ts';
import type { Checked } from './checked.ts';
import { accept } from './checked.ts';
import { checkRecipient } from './recipients.ts';

/**
 * How an opt-out is keyed (정보통신망법 §50②: after an opt-out, sending must stop). A recipient
 * opts out of one client's ads on one medium. SMS, LMS and MMS are one medium to the person
 * holding the phone (and herald turns a long SMS into an LMS by itself), so they share one list:
 * an opt-out given for any of them covers all three. Push, e-mail and voice each have their own.
 */
export function optOutScope(channel: Channel): Channel {
  return channel === 'lms' || channel === 'mms' ? 'sms' : channel;
}

export interface OptOutEntry {
  readonly scope: Channel;
  /** HMAC of the recipient's opt-out identity: the list never holds a phone number or address in clear. */
  readonly recipientHash: string;
  /**
   * For an e-mail address with capitals in its local part: the hash of the address as written,
   * which is how herald keyed such an entry before addresses were case-folded. Removing an opt-out
   * removes that row too. Absent otherwise.
   */
  readonly exactCaseHash?: string;
}

/**
 * What a recipient is keyed by on the list: the normalised recipient (checkRecipient), with an
 * e-mail address lower-cased as a whole. The domain is case-insensitive by the RFC; the local part
 * is case-sensitive only in theory (no mail provider in use treats `Kim` and `kim` as two people),
 * so an opt-out of `Victim@Example.COM` must stop ads to `victim@example.com`. Only the list's key
 * is folded: messages still go to the address as the client wrote it.
 */
export function optOutIdentity(channel: Channel, normalised: string): string {
  return channel === 'email' ? normalised.toLowerCase() : normalised;
}

/**
 * The hashes under which `normalised` may be on the list: its identity's, then (for an address with
 * capitals) the exact-case hash that entries stored before the folding carry. Those older entries
 * keep matching sends to the address spelled as when it opted out; a send in other capitals is
 * matched by entries made since.
 */
export function optOutHashes(channel: Channel, normalised: string, secret: string): readonly string[] {
  const identity = optOutIdentity(channel, normalised);
  const hash = hashRecipient(identity, secret);
  return identity === normalised ? [hash] : [hash, hashRecipient(normalised, secret)];
}

/**
 * The list entry for a recipient as the client wrote it (`010-1234-5678` and `+82 10 1234 5678`
 * are one entry, and so are `Kim@Example.com` and `kim@example.com`), or the recipient's
 * validation error.
 */
export function optOutEntry(channel: AdChannel, to: string, secret: string): Checked<OptOutEntry> {
  const normalised = checkRecipient(channel, to, 'to');
  if (!normalised.ok) return normalised;
  const [recipientHash, exactCaseHash] = optOutHashes(channel, normalised.value, secret);
  return accept({
    scope: optOutScope(channel),
    recipientHash: recipientHash!,
    ...(exactCaseHash === undefined ? {} : { exactCaseHash }),
  });
}
