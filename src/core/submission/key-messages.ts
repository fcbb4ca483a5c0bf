import type { MessageScope } from '../identity/message-key.ts';
import { computeMessageKey, fingerprintContent } from '../identity/message-key.ts';
import type { PreparedMessage } from './prepare-recipient.ts';
import type { SubmissionRequest } from './submission-types.ts';

/** A prepared message with its keys. */
export interface KeyedMessage extends PreparedMessage {
  /** The message key: on the envelope, what the worker's dedup store and the vendor compare. */
  readonly key: string;
  /**
   * With content dedup only: the key without a request scope, which the first message with this
   * content for this recipient claims in the dedup store for the client's window (dedup-plan.ts;
   * history records it as the message's key too). Kept apart from the message key so a repeat
   * after the client's window is sent, not stopped by the worker's store, which remembers a key
   * for the (possibly longer) dedup window of the remote config.
   */
  readonly contentKey?: string;
}

/**
 * The scope of a request's message keys (see identity/message-key.ts): its Idempotency-Key when it
 * sent one, so a retry without its record still finds the same keys; otherwise the request itself.
 */
export function messageScope(
  request: Pick<SubmissionRequest, 'idempotencyKey'>,
  requestId: string,
): MessageScope {
  return request.idempotencyKey === undefined
    ? { kind: 'request', requestId }
    : { kind: 'idempotency-key', idempotencyKey: request.idempotencyKey };
}

/**
 * Keys each prepared message by client, scope, recipient (a push user as `user:<id>`), the channel
 * asked for and its content, push and vms options included: the same text with another `push.data`
 * (or another voice) is another message.
 */
export function keyMessages(
  request: Pick<SubmissionRequest, 'clientId' | 'channel' | 'dedup' | 'push' | 'vms'>,
  scope: MessageScope,
  prepared: readonly PreparedMessage[],
  /** MMS: the images' sha256s, in order: another picture with the same text is another message. */
  images: readonly string[] = [],
): KeyedMessage[] {
  const byContent = request.dedup?.byContent === true;
  return prepared.map((message) => {
    const identity = {
      clientId: request.clientId,
      // canonicalJson drops an undefined member, so keys without push options are as before.
      contentFingerprint: fingerprintContent({
        content: message.content,
        template: message.template,
        push: request.push,
        vms: request.vms,
        images: images.length > 0 ? images : undefined,
      }),
      recipient: message.to,
      channel: request.channel,
    };
    const key = computeMessageKey({ ...identity, scope });
    return byContent
      ? { ...message, key, contentKey: computeMessageKey({ ...identity, scope: { kind: 'content' } }) }
      : { ...message, key };
  });
}

/** The key a message is deduplicated by at the API: its content key under content dedup. */
export function dedupKeyOf(message: KeyedMessage): string {
  return message.contentKey ?? message.key;
}
