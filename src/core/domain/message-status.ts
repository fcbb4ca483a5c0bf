/**
 * Every state a message passes through. History records each change; the message row keeps the latest.
 * Terminal states are never overwritten by a later non-terminal event (events from the API and the
 * workers may land out of order).
 *
 * `expanded` (terminal) is a push to a user (`{"userId"}` recipient) that the worker resolved into
 * one message per live device of the user: it reaches no vendor itself, and each device message
 * carries its own status (the request and message views list them under `devices`). Not `sent`,
 * because its devices may still fail; not `failed`, because they may all get through.
 *
 * `delivered` and `undelivered` come only after `sent`, for AlimTalk, whose vendor learns from Kakao
 * whether the message reached the phone (pipeline/delivery-checks.ts): the one exception to "terminal
 * stays final", so `sent` may move on to them and nothing else. `undelivered` carries the vendor's
 * code; its fallback SMS/LMS is a message of its own (docs/fallback.md).
 */
export const MESSAGE_STATUSES = [
  'accepted',
  'queued',
  'sending',
  'sent',
  'retrying',
  'failed',
  'expired',
  'duplicate',
  'deferred',
  'expanded',
  'delivered',
  'undelivered',
] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export const TERMINAL_STATUSES: ReadonlySet<MessageStatus> = new Set([
  'sent',
  'failed',
  'expired',
  'duplicate',
  'expanded',
  'delivered',
  'undelivered',
]);

/**
 * What a `sent` message may still become: the delivery result of a channel that reports one, or
 * `sent` again. A worker killed after its send was recorded but before the dedup key was confirmed
 * has the message sent anew: the later `sent` carries the vendor message id whose receipt check is
 * durable (the first one's may have died with the worker), so the row takes it, or the receipt
 * never matches and the message stays `sent` for good.
 */
export const AFTER_SENT_STATUSES: ReadonlySet<MessageStatus> = new Set(['sent', 'delivered', 'undelivered']);

export function isTerminal(status: MessageStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}

/**
 * Whether a message in `current` takes an event of status `next` as its new state: anything while
 * it is not terminal, and from `sent` only its delivery result (or a resend's `sent`). The one fold rule every history store
 * applies (the PostgreSQL UPDATE checks the same sets).
 */
export function canMove(current: MessageStatus, next: MessageStatus): boolean {
  return !isTerminal(current) || (current === 'sent' && AFTER_SENT_STATUSES.has(next));
}
