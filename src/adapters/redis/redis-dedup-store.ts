import type { Result } from 'ioredis';
import type { ContentClaim, DedupStore, ReserveVerdict } from '../../ports/dedup-store.ts';
import { CONFIRMED, CONTENT_NAMESPACE, DEFAULT_KEY_PREFIX, encodeDedupKey, RESERVED } from './dedup-keys.ts';
import type { RedisClient } from './redis-client.ts';
import type { RedisConnectionOptions } from './redis-connection.ts';
import { RedisConnection, wholeMs } from './redis-connection.ts';

export interface RedisDedupStoreOptions extends RedisConnectionOptions {
  /** Prepended to every key, so several herald deployments can share one Redis. Default 'hd:'. */
  readonly keyPrefix?: string;
}

/**
 * Deletes the key only while it still holds a reservation, in one atomic step: a plain DEL would
 * let a confused or late release erase a confirmed key and open the door to a second send. Content
 * claims use it too, with the message id as the value: only the claim's own message frees it.
 */
const RELEASE_IF_RESERVED = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    heraldReleaseReserved(key: Buffer, reserved: string): Result<number, Context>;
  }
}

/**
 * The production dedup store: one Redis string per message key, with the TTL doing all expiry
 * (nothing here deletes old keys, and nothing should be evicted: see docs/dedup-sizing.md).
 *
 * Every batch is one round trip: each key gets its own single-key command (so a cluster needs no
 * hash tags), all issued in the same tick and auto-pipelined by ioredis into one write per node.
 * - reserve: `SET key 1 NX PX ttl GET` (NX with GET needs Redis >= 7.0). A nil reply means the key
 *   was free and is now ours; otherwise the reply is the value that stopped us: '2' sent, '1' held.
 *   Commands run in order on the connection, so a key repeated inside a batch finds the first
 *   occurrence's reservation: 'reserved' then 'in-flight', as the port asks.
 * - confirm: `SET key 2 PX window`, overwriting a reservation or creating the key.
 * - release: a script that deletes the key only while it is reserved (EVALSHA after the first use).
 * - claimFirst: `SET c:key messageId NX PX window GET`, the reserve above with the message id as
 *   the value: nil means claimed, otherwise the reply is the message that holds the key.
 * - releaseClaims: the release script, comparing with the message id.
 */
export class RedisDedupStore implements DedupStore {
  readonly #connection: RedisConnection;
  readonly #prefix: string;
  /** Raw 16-byte keys on a standalone server; text keys on a cluster (see dedup-keys.ts). */
  readonly #binaryKeys: boolean;

  constructor(options: RedisDedupStoreOptions) {
    this.#prefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
    this.#connection = new RedisConnection('dedup', options);
    this.#binaryKeys = !this.#connection.cluster;
    this.#connection.client.defineCommand('heraldReleaseReserved', {
      numberOfKeys: 1,
      lua: RELEASE_IF_RESERVED,
    });
  }

  async reserve(keys: readonly string[], ttlMs: number): Promise<ReserveVerdict[]> {
    if (keys.length === 0) return [];
    const ttl = wholeMs(ttlMs);
    const replies = await this.#batch('reserve', keys, (client, key) =>
      client.set(key, RESERVED, 'PX', ttl, 'NX', 'GET'),
    );
    return replies.map(toVerdict);
  }

  async confirm(keys: readonly string[], windowMs: number): Promise<void> {
    if (keys.length === 0) return;
    const window = wholeMs(windowMs);
    await this.#batch('confirm', keys, (client, key) => client.set(key, CONFIRMED, 'PX', window));
  }

  async release(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.#batch('release', keys, (client, key) => client.heraldReleaseReserved(key, RESERVED));
  }

  async claimFirst(claims: readonly ContentClaim[], windowMs: number): Promise<Map<string, string>> {
    const firsts = firstPerKey(claims);
    if (firsts.length === 0) return new Map();
    const window = wholeMs(windowMs);
    const holders = await this.#batch(
      'claimFirst',
      firsts.map((claim) => claim.key),
      (client, key, index) => client.set(key, firsts[index]!.messageId, 'PX', window, 'NX', 'GET'),
      CONTENT_NAMESPACE,
    );
    const held = new Map<string, string>();
    holders.forEach((holder, index) => {
      if (holder !== null) held.set(firsts[index]!.key, holder);
    });
    return held;
  }

  async releaseClaims(claims: readonly ContentClaim[]): Promise<void> {
    if (claims.length === 0) return;
    await this.#batch(
      'releaseClaims',
      claims.map((claim) => claim.key),
      (client, key, index) => client.heraldReleaseReserved(key, claims[index]!.messageId),
      CONTENT_NAMESPACE,
    );
  }

  /** One PING, within the command time limit; false while Redis is down or this store is closed. */
  healthy(): Promise<boolean> {
    return this.#connection.healthy();
  }

  async close(): Promise<void> {
    this.#connection.close();
  }

  /** Issues one command per key in the same tick (one pipeline per node); failures come out as HERALD_UNAVAILABLE. */
  #batch<T>(
    operation: string,
    keys: readonly string[],
    command: (client: RedisClient, key: Buffer, index: number) => Promise<T>,
    namespace = '',
  ): Promise<T[]> {
    const prefix = this.#prefix + namespace;
    return this.#connection.run(operation, (client) =>
      Promise.all(
        keys.map((key, index) => command(client, encodeDedupKey(prefix, key, this.#binaryKeys), index)),
      ),
    );
  }
}

/** Each key's first claim, in order: a repeat must neither overwrite it nor be reported as held. */
function firstPerKey(claims: readonly ContentClaim[]): ContentClaim[] {
  const firsts = new Map<string, ContentClaim>();
  for (const claim of claims) if (!firsts.has(claim.key)) firsts.set(claim.key, claim);
  return [...firsts.values()];
}

function toVerdict(previous: string | null): ReserveVerdict {
  if (previous === null) return 'reserved';
  return previous === CONFIRMED ? 'sent' : 'in-flight';
}
