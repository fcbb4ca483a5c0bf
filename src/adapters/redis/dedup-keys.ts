/**
 * How a message key and its state are laid out in Redis, shared by the store and `dedup sizing`
 * so the sizing measures exactly what the store writes.
 *
 * Key: prefix + tag + payload. A message key from core/identity is base64url of 16 hash bytes
 * (22 characters); it is stored as those 16 raw bytes (tag 'b'). Any other string (tests, tools)
 * is stored as its UTF-8 bytes (tag 't'). The tag sits at a fixed position, so the two forms can
 * never collide. Raw bytes are 6 bytes shorter than base64url: with Redis's bundled jemalloc
 * (8-byte size classes) the key's SDS allocation drops from 32 to 24 bytes; a Debian build on the
 * system jemalloc (16-byte classes) rounds both to 32. See docs/dedup-sizing.md.
 *
 * On a Redis Cluster keys stay text (tag 't', base64url): ioredis 6 computes an auto-pipeline's
 * slot from a Buffer key turned into a UTF-8 string, which mangles raw bytes, so a batch of binary
 * keys would be refused with "All keys in the pipeline should belong to the same slots allocation
 * group" (the cluster test in test/adapters/redis catches it).
 *
 * Value: '1' reserved, '2' confirmed. Small integers are Redis shared objects (0..9999), so the
 * value costs no allocation at all (not even a robj) unless maxmemory-policy is an LRU or LFU one,
 * which needs a private robj per key to hold the access clock: one more reason for volatile-ttl.
 */
export const DEFAULT_KEY_PREFIX = 'hd:';
/**
 * Content claims (dedup.byContent at the API) go under prefix + 'c:', then the tag and payload as
 * above: a message key's tag sits where this 'c' does, so the two namespaces never collide. Their
 * value is the id of the message that holds the key (36 characters, not a shared integer).
 */
export const CONTENT_NAMESPACE = 'c:';
export const RESERVED = '1';
export const CONFIRMED = '2';

const HASH_KEY_BYTES = 16;
const HASH_KEY_CHARS = 22;
const BINARY_TAG = 'b';
const TEXT_TAG = 't';

export function encodeDedupKey(prefix: string, key: string, binary: boolean): Buffer {
  const raw = binary ? hashBytes(key) : undefined;
  return raw === undefined
    ? Buffer.from(`${prefix}${TEXT_TAG}${key}`, 'utf8')
    : Buffer.concat([Buffer.from(`${prefix}${BINARY_TAG}`, 'utf8'), raw]);
}

/** Bytes of the Redis key for a core message key with this prefix (for the sizing model). */
export function dedupKeyLength(prefix: string, binary: boolean): number {
  return Buffer.byteLength(prefix, 'utf8') + 1 + (binary ? HASH_KEY_BYTES : HASH_KEY_CHARS);
}

/** The 16 bytes behind a canonical base64url message key, or undefined for any other string. */
function hashBytes(key: string): Buffer | undefined {
  if (key.length !== HASH_KEY_CHARS) return undefined;
  const bytes = Buffer.from(key, 'base64url');
  // Decoding is lenient (it skips bad characters); only an exact round trip is a message key.
  return bytes.length === HASH_KEY_BYTES && bytes.toString('base64url') === key ? bytes : undefined;
}
