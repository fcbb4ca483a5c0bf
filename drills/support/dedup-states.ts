import { Redis } from 'ioredis';
import pg from 'pg';
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

/**
 * The message keys (dedup keys) of these messages, from the history herald wrote at acceptance in
 * PostgreSQL (schema `herald_<namespace>`). A push call carries herald's message id on the wire,
 * not its key (FCM and APNs take no idempotency key), so a proxy sees ids and the dedup store keys.
 */
export async function messageKeys(
  postgresUrl: string,
  namespace: string,
  messageIds: readonly string[],
): Promise<string[]> {
  if (messageIds.length === 0) return [];
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    const rows = await client.query<{ message_key: string }>(
      `SELECT message_key FROM "herald_${namespace}".messages WHERE message_id = ANY($1)`,
      [messageIds],
    );
    return rows.rows.map((row) => row.message_key);
  } finally {
    await client.end();
  }
}
