/**
 * Every state a message passes through. History records each change; the message row keeps the latest.
 * Terminal states are never overwritten by a later non-terminal event (events from the API and the
 * workers may land out of order).
 *
 * `expanded` (terminal) is a push to a user (`{"userId"}` recipient) that the worker resolved into
 * one message per live device of the user: it reaches no vendor itself, and each device message
 * carries its own status (the request and message views list them under `devices`). Not `sent`,
 * because its devices may still fail; not `failed`, because they may all get through.
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
] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export const TERMINAL_STATUSES: ReadonlySet<MessageStatus> = new Set([
  'sent',
  'failed',
  'expired',
  'duplicate',
  'expanded',
]);

export function isTerminal(status: MessageStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}
