import type { UserPushExpansion } from '../../ports/history-store.ts';
import type { Envelope } from '../domain/message.ts';
import { derivedId } from '../identity/ids.ts';
import { shortHash } from '../identity/message-key.ts';
import { hashRecipient, maskRecipient } from '../identity/recipient-privacy.ts';
import { encodeEnvelope } from './envelope-codec.ts';
import type { FallbackContent } from './metadata-resolver.ts';
import type { OutcomeSinks } from './outcome-sinks.ts';
import { sendTopic } from './topics.ts';

/**
 * 대체발송, herald's way: the SMS/LMS that stands in for an AlimTalk message Kakao could not deliver
 * is a message of its own, sent by the lane like any other (the SMS vendors' weights, breakers,
 * dedup and history), not the AlimTalk vendor's resend fields (the adapters switch those off).
 *
 * Its id and key are derived from the AlimTalk message's, the same every time: a delivery check
 * that runs again after a crash makes the very same fallback, which history records once and the
 * dedup store answers `duplicate` for, so the recipient never gets it twice.
 */
export function fallbackEnvelope(parent: Envelope, content: FallbackContent): Envelope {
  return {
    messageId: derivedId(parent.messageId, 'alimtalk-fallback'),
    requestId: parent.requestId,
    clientId: parent.clientId,
    key: shortHash(['alimtalk-fallback', parent.key]),
    channel: content.channel,
    lane: parent.lane,
    to: parent.to,
    ...(parent.from !== undefined && { from: parent.from }),
    content: { body: content.body },
    parentMessageId: parent.messageId,
    attempt: 1,
    expiresAt: parent.expiresAt,
    createdAt: parent.createdAt,
    ...(parent.nightAdConsent !== undefined && { nightAdConsent: parent.nightAdConsent }),
  };
}

export interface FallbackSinkContext {
  readonly sinks: Pick<OutcomeSinks, 'expansions' | 'produce'>;
  readonly recipientHashSecret: string;
  readonly now: () => number;
}

/**
 * Records the fallback in history (`accepted`, linked to its AlimTalk message, as a push to a user's
 * device messages are), then queues it on the lane's send topic. Both are durable when this returns.
 */
export async function queueFallback(context: FallbackSinkContext, fallback: Envelope): Promise<void> {
  const record: UserPushExpansion = {
    parentMessageId: fallback.parentMessageId!,
    channel: fallback.channel,
    requestId: fallback.requestId,
    clientId: fallback.clientId,
    lane: fallback.lane,
    createdAt: fallback.createdAt,
    at: context.now(),
    children: [
      {
        messageId: fallback.messageId,
        key: fallback.key,
        recipientMasked: maskRecipient(fallback.channel, fallback.to),
        recipientHash: hashRecipient(fallback.to, context.recipientHashSecret),
      },
    ],
  };
  // The message exists in history before any event of its own can be written.
  await context.sinks.expansions.write([record]);
  await context.sinks.produce.write([
    {
      topic: sendTopic(fallback.lane, fallback.channel),
      key: fallback.key,
      value: encodeEnvelope(fallback),
    },
  ]);
}
