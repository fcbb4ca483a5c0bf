import { randomBytes } from 'node:crypto';
import { DEFAULT_KEY_PREFIX, dedupKeyLength, encodeDedupKey } from './dedup-keys.ts';
import type { RedisClient } from './redis-client.ts';
import { ConnectionGate, createRedisClient } from './redis-client.ts';
import { RedisDedupStore } from './redis-dedup-store.ts';
import { parseRedisUrl } from './redis-url.ts';

export interface DedupMemoryMeasurement {
  readonly sampleSize: number;
  readonly keyBytes: number;
  /** Average of `MEMORY USAGE key SAMPLES 0` over the sample keys. */
  readonly memoryUsagePerKey: number;
  /** INFO used_memory after writing the sample minus before, per key (includes expiry and buckets). */
  readonly usedMemoryPerKey: number;
  readonly redisVersion: string;
  readonly allocator: string;
  readonly maxmemoryPolicy: string;
}

/** A sample key's TTL: long enough to measure, short enough that a crashed probe leaves nothing for long. */
const SAMPLE_WINDOW_MS = 10 * 60_000;
const CHUNK = 1_000;
const TIMEOUT_MS = 5_000;

/**
 * Writes `sampleSize` keys to a live Redis exactly as the store does (through a RedisDedupStore's
 * confirm: same prefix, raw-byte key, shared-integer value, PX expiry), measures what they cost,
 * and deletes them. Keys are random 16-byte hashes under the store's own prefix, so they cannot
 * meet a real message key. used_memory moves with everything else the server does, so measure a
 * quiet server or a large sample; MEMORY USAGE is per key and does not care.
 *
 * Standalone servers only: a Redis Cluster spreads the keys over nodes whose INFO would have to be
 * summed; measure one node of the same version and build instead (cluster mode adds 16 B per key,
 * which the model accounts for).
 */
export async function measureDedupMemory(url: string, sampleSize: number): Promise<DedupMemoryMeasurement> {
  if (!Number.isInteger(sampleSize) || sampleSize < 1)
    throw new RangeError('sampleSize must be a positive integer');
  const target = parseRedisUrl(url);
  if (target.cluster) throw new Error('measure against one standalone Redis (see measureDedupMemory)');
  const admin = createRedisClient(target, { commandTimeoutMs: TIMEOUT_MS, connectTimeoutMs: TIMEOUT_MS });
  const store = new RedisDedupStore({ url, commandTimeoutMs: TIMEOUT_MS, connectTimeoutMs: TIMEOUT_MS });
  const keys = Array.from({ length: sampleSize }, () => randomBytes(16).toString('base64url'));
  const redisKeys = keys.map((key) => encodeDedupKey(DEFAULT_KEY_PREFIX, key, true));
  try {
    await new ConnectionGate(admin).pass('measure', TIMEOUT_MS);
    const before = await memoryInfo(admin);
    for (let i = 0; i < keys.length; i += CHUNK)
      await store.confirm(keys.slice(i, i + CHUNK), SAMPLE_WINDOW_MS);
    const after = await memoryInfo(admin);
    let usage = 0;
    for (let i = 0; i < redisKeys.length; i += CHUNK) {
      const chunk = redisKeys.slice(i, i + CHUNK);
      const sizes = await Promise.all(chunk.map((key) => admin.memory('USAGE', key, 'SAMPLES', 0)));
      usage += sizes.reduce<number>((sum, size) => sum + (size ?? 0), 0);
    }
    return {
      sampleSize,
      keyBytes: dedupKeyLength(DEFAULT_KEY_PREFIX, true),
      memoryUsagePerKey: usage / sampleSize,
      usedMemoryPerKey: (after.usedMemory - before.usedMemory) / sampleSize,
      redisVersion: after.redisVersion,
      allocator: after.allocator,
      maxmemoryPolicy: after.maxmemoryPolicy,
    };
  } finally {
    await deleteKeys(admin, redisKeys).catch(() => {}); // the 10-minute TTL clears what this misses
    await store.close();
    admin.disconnect();
  }
}

interface MemoryInfo {
  readonly usedMemory: number;
  readonly redisVersion: string;
  readonly allocator: string;
  readonly maxmemoryPolicy: string;
}

async function memoryInfo(client: RedisClient): Promise<MemoryInfo> {
  const info = `${await client.info('server')}\n${await client.info('memory')}`;
  const field = (name: string) => new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim() ?? 'unknown';
  return {
    usedMemory: Number(field('used_memory')),
    redisVersion: field('redis_version'),
    allocator: field('mem_allocator'),
    maxmemoryPolicy: field('maxmemory_policy'),
  };
}

async function deleteKeys(client: RedisClient, keys: readonly Buffer[]): Promise<void> {
  for (let i = 0; i < keys.length; i += CHUNK) await client.unlink(...keys.slice(i, i + CHUNK));
}
