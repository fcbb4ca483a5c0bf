/**
 * A push to a user (`{"userId"}` recipient) has no address of its own until the worker resolves it
 * into the user's devices. Wherever herald needs one string for "who this message is for" (the
 * message key, the history hash, the advertising opt-out list) a user is `user:<id>`, so two
 * requests to user 42 key alike and an opt-out recorded for `user:42` covers every device of theirs.
 */
export const USER_RECIPIENT_PREFIX = 'user:';

export function userRecipient(userId: string): string {
  return `${USER_RECIPIENT_PREFIX}${userId}`;
}

/** The identity of an envelope's recipient: its address, or `user:<id>` for a push to a user. */
export function recipientIdentity(envelope: { readonly to: string; readonly userId?: string }): string {
  return envelope.userId === undefined ? envelope.to : userRecipient(envelope.userId);
}
