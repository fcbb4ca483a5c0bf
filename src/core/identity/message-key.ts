import { createHash } from 'node:crypto';
import type { Channel } from '../domain/channel.ts';

/**
 * Message identity. The key is what both dedup layers compare: the API (`findByKeys`, so a repeated
 * request is answered with the first request's message ids) and the worker's dedup store (so a
 * redelivered record is never sent twice). The same input always yields the same key.
 *
 * 16 bytes of SHA-256 (128 bits) keep keys compact in the dedup store (its memory is key length x
 * volume) while a collision stays out of reach even at billions of messages a day.
 */
export interface MessageKeyInput {
  readonly clientId: string;
  /** The client's Idempotency-Key; when absent the content fingerprint identifies the request. */
  readonly idempotencyKey?: string;
  readonly contentFingerprint: string;
  /** Normalised recipient (see content/recipients.ts), so spelling variants are one recipient. */
  readonly recipient: string;
  /** The channel the client asked for (not the upgraded one), so a config change keeps keys stable. */
  readonly channel: Channel;
}

const KEY_BYTES = 16;

export function computeMessageKey(input: MessageKeyInput): string {
  const identity =
    input.idempotencyKey === undefined
      ? ['content', input.contentFingerprint]
      : ['idempotency-key', input.idempotencyKey];
  const digest = createHash('sha256')
    .update(lengthPrefixed([input.clientId, ...identity, input.recipient, input.channel]))
    .digest();
  return digest.subarray(0, KEY_BYTES).toString('base64url');
}

/**
 * Each field as a 4-byte big-endian length and its UTF-8 bytes. Plain concatenation would let
 * ("ab", "c") and ("a", "bc") hash alike; a separator would have to be escaped out of every field.
 */
function lengthPrefixed(fields: readonly string[]): Buffer {
  const parts: Buffer[] = [];
  for (const field of fields) {
    const bytes = Buffer.from(field, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    parts.push(length, bytes);
  }
  return Buffer.concat(parts);
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
