import { Redis } from 'ioredis';
import { encodeDedupKey, RESERVED } from '../../src/adapters/redis/dedup-keys.ts';

/**
 * Which of these message keys are still only reserved in herald's Redis dedup store (namespace
 * `namespace`): a message whose vendor call was answered but whose outcome its worker had not yet
 * made durable (history written, key confirmed) when it died. Read right after a SIGKILL, that is
 * the part of a worker's in-flight work a proxy in front of the vendor cannot see.
 */
export async function stillReserved(
  redisUrl: string,
  namespace: string,
  keys: readonly string[],
): Promise<string[]> {
  if (keys.length === 0) return [];
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const values = await redis.mgetBuffer(
      ...keys.map((key) => encodeDedupKey(`${namespace}:hd:`, key, true)),
    );
    return keys.filter((_, i) => values[i]?.toString() === RESERVED);
  } finally {
    redis.disconnect();
  }
}
