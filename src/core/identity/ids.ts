import { randomBytes } from 'node:crypto';

/**
 * Ids for requests and messages in the UUIDv7 layout (RFC 9562): 48 bits of Unix milliseconds, then
 * version, variant and 74 random bits. Because the time comes first, ids sort by creation time as
 * strings and as bytes, so index inserts land at the end of a B-tree (no page splits all over the
 * history table) and time-partitioned history can find an id's partition from the id alone.
 * Ids made within the same millisecond are unordered among themselves; nothing relies on that order.
 */
export function newId(now: number = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = 0x70 | (bytes[6]! & 0x0f); // version 7
  bytes[8] = 0x80 | (bytes[8]! & 0x3f); // variant 10xx
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The creation time (epoch ms) encoded in an id made by `newId`. */
export function idTimestamp(id: string): number {
  return Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16);
}
