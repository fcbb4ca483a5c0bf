/**
 * Every state a message passes through. History records each change; the message row keeps the latest.
 * Terminal states are never overwritten by a later non-terminal event (events from the API and the
 * workers may land out of order).
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
] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export const TERMINAL_STATUSES: ReadonlySet<MessageStatus> = new Set([
  'sent',
  'failed',
  'expired',
  'duplicate',
]);

export function isTerminal(status: MessageStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}
