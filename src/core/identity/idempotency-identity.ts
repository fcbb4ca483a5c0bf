import { fingerprintContent, shortHash } from './message-key.ts';

/**
 * What identifies an Idempotency-Key's record, and what makes a replay "the same request".
 *
 * The record key is per client (two clients may pick the same key without meeting), hashed to 22
 * characters so a 255-character key costs the store no more than a short one, and so no client
 * text ever becomes part of a store key as is.
 */
export function idempotencyRecordKey(clientId: string, idempotencyKey: string): string {
  return shortHash(['idempotency-record', clientId, idempotencyKey]);
}

/**
 * The request as the client sent it: every field of the body, in canonical JSON (member order does
 * not matter, an absent field and an undefined one are alike), without what herald adds (the
 * authenticated client, the key itself). A replay with another text, lane, recipient or option
 * is another request, and is refused rather than answered with the first one's result.
 */
export function fingerprintRequest<T extends { readonly clientId: string; readonly idempotencyKey?: string }>(
  request: T,
): string {
  const { clientId: _clientId, idempotencyKey: _idempotencyKey, ...body } = request;
  return fingerprintContent(body);
}
