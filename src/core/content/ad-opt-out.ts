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
  /** HMAC of the normalised recipient: the list never holds a phone number or address in clear. */
  readonly recipientHash: string;
}

/**
 * The list entry for a recipient as the client wrote it (`010-1234-5678` and `+82 10 1234 5678`
 * are one entry), or the recipient's validation error.
 */
export function optOutEntry(channel: AdChannel, to: string, secret: string): Checked<OptOutEntry> {
  const normalised = checkRecipient(channel, to, 'to');
  if (!normalised.ok) return normalised;
  return accept({ scope: optOutScope(channel), recipientHash: hashRecipient(normalised.value, secret) });
}
