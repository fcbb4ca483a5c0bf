import { createHash } from 'node:crypto';
import type { Channel } from '../domain/channel.ts';

/**
 * Message identity. The message key is what the worker's dedup store compares, so a record the
 * transport delivers twice (a Kafka redelivery after a crash or a rebalance) is sent once; it is
 * also the vendor's idempotency key.
 *
 * A key is a hash over (client, scope, recipient, channel, content). The scope decides which
 * repeats count as the same message:
 * - no Idempotency-Key: the request's own id. Only a redelivery of this request's records repeats
 *   a key; two requests with the same text to the same number are two messages.
 * - an Idempotency-Key: the key itself (per client), so a client's retry whose idempotency record
 *   was lost (its store down, or an API process that crashed mid-request) still carries the same
 *   keys, and the worker's dedup store answers it `duplicate` instead of sending again.
 * - content: no scope at all. Not a message key: the key content dedup (`dedup.byContent`) claims
 *   in the dedup store for the client's window, whichever request carried it (see
 *   submission/dedup-plan.ts). The client is in the hash, so a claim is the client's own.
 * The content is in every key, so one request may send two different texts to one recipient,
 * while a recipient listed twice with the same text is a duplicate of the first.
 *
 * 16 bytes of SHA-256 (128 bits) keep keys compact in the dedup store (its memory is key length x
 * volume) while a collision stays out of reach even at billions of messages a day.
 */
export type MessageScope =
  | { readonly kind: 'request'; readonly requestId: string }
  | { readonly kind: 'idempotency-key'; readonly idempotencyKey: string }
  | { readonly kind: 'content' };

export interface MessageKeyInput {
  readonly clientId: string;
  readonly scope: MessageScope;
  /** fingerprintContent of the rendered content (inline text, or template code and variables). */
  readonly contentFingerprint: string;
  /** Normalised recipient (see content/recipients.ts), so spelling variants are one recipient. */
  readonly recipient: string;
  /** The channel the client asked for (not the upgraded one), so a config change keeps keys stable. */
  readonly channel: Channel;
}

const KEY_BYTES = 16;

export function computeMessageKey(input: MessageKeyInput): string {
  return shortHash([
    input.clientId,
    input.scope.kind,
    scopeValue(input.scope),
    input.recipient,
    input.channel,
    input.contentFingerprint,
  ]);
}

function scopeValue(scope: MessageScope): string {
  switch (scope.kind) {
    case 'request':
      return scope.requestId;
    case 'idempotency-key':
      return scope.idempotencyKey;
    case 'content':
      return '';
  }
}

/**
 * 16 bytes of SHA-256 over the fields, base64url (22 characters). Each field goes in as a 4-byte
 * big-endian length and its UTF-8 bytes: plain concatenation would let ("ab", "c") and ("a", "bc")
 * hash alike, and a separator would have to be escaped out of every field.
 */
export function shortHash(fields: readonly string[]): string {
  const hash = createHash('sha256');
  // update() consumes its input at once, so one length buffer serves every field.
  const length = Buffer.allocUnsafe(4);
  for (const field of fields) {
    length.writeUInt32BE(Buffer.byteLength(field, 'utf8'));
    hash.update(length).update(field, 'utf8');
  }
  return hash.digest().subarray(0, KEY_BYTES).toString('base64url');
}

/** SHA-256 (base64url) of the canonical JSON of `value`: equal content gives an equal fingerprint. */
export function fingerprintContent(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('base64url');
}

/**
 * JSON with object keys sorted at every depth and `undefined` members dropped, so two clients that
 * serialise the same content in a different key order produce the same fingerprint.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value)
      .filter(([, member]) => member !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, member]) => `${JSON.stringify(name)}:${canonicalJson(member)}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
