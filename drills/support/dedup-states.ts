import { Redis } from 'ioredis';
import pg from 'pg';
import { encodeDedupKey, RESERVED } from '../../src/adapters/redis/dedup-keys.ts';
import { sleep } from './verdict.ts';

/** Which message keys were only reserved in the dedup store when it was read. */
export interface ReservedKeys {
  has(messageKey: string): boolean;
}

/**
 * Every key of herald's Redis dedup store (namespace `namespace`) that is still only reserved: a
 * message whose vendor call was answered but whose outcome its worker had not yet made durable
 * (event produced, key confirmed) when it died. Read right after a SIGKILL, that is the part of a
 * worker's in-flight work a proxy in front of the vendor cannot see. The whole namespace is read at
 * once and matched later: the message keys come from history, which the history writer may not
 * have applied yet, and a reservation runs out while one waits for it.
 */
export async function reservedKeys(redisUrl: string, namespace: string): Promise<ReservedKeys> {
  const prefix = `${namespace}:hd:`;
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  const reserved = new Set<string>();
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scanBuffer(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1_000);
      cursor = next.toString();
      if (keys.length === 0) continue;
      const values = await redis.mgetBuffer(...keys);
      keys.forEach((key, i) => {
        if (values[i]?.toString() === RESERVED) reserved.add(key.toString('hex'));
      });
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return { has: (key) => reserved.has(encodeDedupKey(prefix, key, true).toString('hex')) };
}

/**
 * The message keys (dedup keys) of these messages, from herald's history in PostgreSQL (schema
 * `herald_<namespace>`). A push call carries herald's message id on the wire, not its key (FCM and
 * APNs take no idempotency key), so a proxy sees ids and the dedup store keys. History is a
 * projection of the history log: a message accepted a moment ago may not be in it yet, so this
 * waits (up to `timeoutMs`) until every id is.
 */
export async function messageKeys(
  postgresUrl: string,
  namespace: string,
  messageIds: readonly string[],
  // History trails the flood (the writer runs at a lower CPU priority, and may itself be killed):
  // a key still missing when this gives up is a message left out of the drill's in-flight count.
  timeoutMs = 180_000,
): Promise<string[]> {
  if (messageIds.length === 0) return [];
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const rows = await client.query<{ message_key: string }>(
        `SELECT message_key FROM "herald_${namespace}".messages WHERE message_id = ANY($1)`,
        [messageIds],
      );
      const all = rows.rows.length >= new Set(messageIds).size;
      if (all || Date.now() > deadline) return rows.rows.map((row) => row.message_key);
      await sleep(200);
    }
  } finally {
    await client.end();
  }
}
