/**
 * Predicts the Redis memory the dedup store needs: (key length -> bytes per key) x (rate x window).
 *
 * Per key, Redis 7.0/7.2 on 64-bit allocates (docs/dedup-sizing.md has the sources and checks):
 *   main dict entry      24 B (key pointer, value pointer, next pointer); +16 B in cluster mode
 *                        (Redis 7 keeps each slot's keys in a list threaded through the entries)
 *   key SDS              header + key bytes + NUL: header 1 B (< 32 B, sdshdr5), 3 B (< 256 B)
 *   value                0 B for a shared integer (0..9999, what the store writes, unless
 *                        maxmemory-policy is LRU/LFU); otherwise a 16 B robj, holding the bytes
 *                        itself (embstr, <= 44 B) or pointing at its own SDS
 *   expires dict entry   24 B (same key pointer, the expiry time in the value)
 *   hash table buckets   8 B pointer per slot in each of the two dicts; tables are powers of two
 *                        at least as large as the key count, so 8-16 B per key per dict
 * Every allocation is rounded up to a jemalloc size class: 8-byte spacing in Redis's bundled
 * jemalloc (8, 16, 24, 32, 40, 48, 56, 64, 80, ...), 16-byte spacing in builds against the system
 * jemalloc, such as Debian's package (8, 16, 32, 48, 64, 80, ...).
 */
export interface DedupMemoryInput {
  readonly ratePerSecond: number;
  /** How long a sent key is kept (the dedup window), ms. */
  readonly windowMs: number;
  readonly keyBytes: number;
  readonly valueBytes: number;
  /** The value is an integer 0..9999 (the store's '1' and '2'), a shared object under a TTL policy. */
  readonly integerValue?: boolean;
  /** Default volatile-ttl. An LRU/LFU policy disables shared integers (each key needs its own clock). */
  readonly maxmemoryPolicy?: string;
  /** Redis Cluster mode: 16 more bytes in every main dict entry. */
  readonly cluster?: boolean;
  /** jemalloc size-class spacing for small sizes: 8 (Redis's bundled build, default) or 16. */
  readonly sizeClassQuantum?: 8 | 16;
}

export interface DedupMemoryBreakdown {
  readonly dictEntry: number;
  readonly keySds: number;
  readonly value: number;
  readonly expiresEntry: number;
  /** Bucket pointers of both dicts, averaged over the keys. */
  readonly buckets: number;
}

export interface DedupMemoryPrediction {
  /** Keys alive at once: rate x window (reservations of in-flight sends reuse the same keys). */
  readonly keys: number;
  readonly bytesPerKey: number;
  readonly breakdown: DedupMemoryBreakdown;
  /** used_memory for the keys in steady state. */
  readonly totalBytes: number;
  /**
   * What `MEMORY USAGE key` reports for one key, to compare with a measurement: it counts the key
   * SDS, a 16 B robj for the value (even a shared one) and the bare dict entry, and leaves out the
   * expires entry and the buckets, so it is always below the real cost.
   */
  readonly memoryUsageCommandBytes: number;
  /** maxmemory to configure: the total plus headroom (see recommendedMaxmemory). */
  readonly recommendedMaxmemoryBytes: number;
}

const POINTER_BYTES = 8;
const DICT_ENTRY_BYTES = 24;
const CLUSTER_ENTRY_METADATA_BYTES = 16;
const ROBJ_BYTES = 16;
const EMBSTR_MAX_BYTES = 44;
/** Redis's active expiry keeps expired-but-not-yet-freed keys under about 10% of the volatile keys. */
export const STALE_EXPIRED_SHARE = 0.1;
/** Growth margin on top of the steady state: traffic peaks, a longer window set by an operator. */
export const GROWTH_MARGIN = 0.2;

export function predictDedupMemory(input: DedupMemoryInput): DedupMemoryPrediction {
  assertPositive('ratePerSecond', input.ratePerSecond);
  assertPositive('windowMs', input.windowMs);
  assertPositive('keyBytes', input.keyBytes);
  const quantum = input.sizeClassQuantum ?? 8;
  const size = (bytes: number) => (bytes === 0 ? 0 : jemallocSizeClass(bytes, quantum));
  const keys = Math.ceil((input.ratePerSecond * input.windowMs) / 1_000);
  const tableSlots = nextPowerOfTwo(keys);
  const entries = {
    dictEntry: size(DICT_ENTRY_BYTES + (input.cluster ? CLUSTER_ENTRY_METADATA_BYTES : 0)),
    keySds: size(sdsBytes(input.keyBytes)),
    value: valueBytes(input, size),
    expiresEntry: size(DICT_ENTRY_BYTES),
  };
  const entryBytes = entries.dictEntry + entries.keySds + entries.value + entries.expiresEntry;
  const bucketBytes = 2 * POINTER_BYTES * tableSlots;
  const totalBytes = keys * entryBytes + bucketBytes;
  return {
    keys,
    bytesPerKey: totalBytes / keys,
    breakdown: { ...entries, buckets: bucketBytes / keys },
    totalBytes,
    memoryUsageCommandBytes: memoryUsageCommand(input, entries.keySds, size),
    recommendedMaxmemoryBytes: recommendedMaxmemory(keys * entryBytes, bucketBytes),
  };
}

/**
 * Steady state, plus: expired keys not yet reclaimed (up to 10% of the entries), the old bucket
 * table kept while a dict grows (it rehashes incrementally, so both tables live for a while), and
 * the growth margin. Rounded up to MiB, the unit operators write in redis.conf.
 */
function recommendedMaxmemory(entryBytes: number, bucketBytes: number): number {
  const peak = entryBytes * (1 + STALE_EXPIRED_SHARE) + bucketBytes * 1.5;
  const mib = 1024 * 1024;
  return Math.ceil((peak * (1 + GROWTH_MARGIN)) / mib) * mib;
}

function memoryUsageCommand(
  input: DedupMemoryInput,
  keySds: number,
  size: (bytes: number) => number,
): number {
  const entry = DICT_ENTRY_BYTES + (input.cluster ? CLUSTER_ENTRY_METADATA_BYTES : 0);
  const value = input.integerValue ? ROBJ_BYTES : Math.max(valueBytes(input, size), ROBJ_BYTES);
  return entry + keySds + value;
}

function valueBytes(input: DedupMemoryInput, size: (bytes: number) => number): number {
  if (input.integerValue) return sharesIntegers(input.maxmemoryPolicy) ? 0 : size(ROBJ_BYTES);
  if (input.valueBytes <= EMBSTR_MAX_BYTES) return size(ROBJ_BYTES + 3 + input.valueBytes + 1);
  return size(ROBJ_BYTES) + size(sdsBytes(input.valueBytes));
}

/** Shared integer objects are off under LRU/LFU policies: the robj would carry one key's clock. */
export function sharesIntegers(policy = 'volatile-ttl'): boolean {
  return !/lru|lfu/i.test(policy);
}

/** A key SDS as Redis allocates it: the smallest header type that fits the length, the bytes, a NUL. */
export function sdsBytes(length: number): number {
  if (length < 32) return 1 + length + 1;
  if (length < 256) return 3 + length + 1;
  if (length < 65_536) return 5 + length + 1;
  return 9 + length + 1;
}

/** The jemalloc small size class holding `bytes`: quantum steps up to 4 quanta, then 4 steps per doubling. */
export function jemallocSizeClass(bytes: number, quantum: 8 | 16): number {
  if (bytes <= 8) return 8;
  if (bytes <= 4 * quantum) return Math.ceil(bytes / quantum) * quantum;
  let group = 4 * quantum;
  while (bytes > 2 * group) group *= 2;
  const step = group / 4;
  return Math.ceil(bytes / step) * step;
}

function nextPowerOfTwo(n: number): number {
  let size = 4; // a dict's smallest table
  while (size < n) size *= 2;
  return size;
}

function assertPositive(name: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0)
    throw new RangeError(`${name} must be a positive number, got ${value}`);
}
