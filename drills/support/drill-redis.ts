import { Redis } from 'ioredis';

/**
 * The kill drill's own Redis database, emptied, as a URL for herald and for the drill's reads. The
 * snapshot taken at the kill (dedup-states.ts reservedKeys) SCANs the whole database, and on the
 * shared database 0 a machine that had run the benches held two million keys of other namespaces:
 * reading them took seconds, long enough for the survivor to take over and confirm keys that were
 * still only reserved at the kill. The drill then counted fewer messages in flight than it found
 * delivered twice (text 207 > 201 and push 43 > 42 in one run; equal again once the keys were gone).
 * A Redis Cluster has database 0 only, and a URL naming a database is the caller's choice: both
 * are used as they are.
 */
export async function emptiedDrillRedis(redisUrl: string, db = 9): Promise<string> {
  const plain = /^(rediss?:\/\/[^/,]+)\/?$/.exec(redisUrl);
  if (plain === null) return redisUrl;
  const own = `${plain[1]}/${db}`;
  const redis = new Redis(own, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    await redis.flushdb();
  } finally {
    redis.disconnect();
  }
  return own;
}
