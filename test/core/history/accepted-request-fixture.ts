import { randomUUID } from 'node:crypto';
import type { AcceptedRequest } from '../../../src/ports/history-store.ts';

/**
 * A request as submitMessages records it, with every kind of recipient: new messages (two
 * channels, as an SMS upgraded to LMS would be), a repeat of a recipient of the same request, a
 * repeat of an earlier request's message when `earlierMessageId` is given, and refused recipients;
 * indexes interleaved, and an acceptance time with a fraction of a millisecond.
 */
export function acceptedRequest(
  clientId: string,
  options: { readonly earlierMessageId?: string } = {},
): AcceptedRequest {
  const [first, second] = [randomUUID(), randomUUID()];
  return {
    requestId: randomUUID(),
    clientId,
    lane: 'realtime',
    channel: 'sms',
    acceptedAt: 1_764_633_600_123.6,
    messages: [message(first, 0, 'sms', '010-****-5678'), message(second, 3, 'lms', '010-****-4321')],
    duplicates: [
      { index: 2, messageId: first },
      ...(options.earlierMessageId === undefined ? [] : [{ index: 5, messageId: options.earlierMessageId }]),
    ],
    rejected: [
      { index: 1, error: { code: 'HERALD_RECIPIENT_INVALID', message: 'not a phone number' } },
      { index: 4, error: { code: 'HERALD_RECIPIENT_OPTED_OUT', message: 'the recipient opted out' } },
    ],
  };
}

function message(messageId: string, index: number, channel: 'sms' | 'lms', recipientMasked: string) {
  return {
    messageId,
    index,
    key: `key-${messageId}`,
    channel,
    recipientMasked,
    recipientHash: `hash-${messageId}`,
  };
}
