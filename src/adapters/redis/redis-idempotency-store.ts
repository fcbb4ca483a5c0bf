import { randomUUID } from 'node:crypto';
import type { Result } from 'ioredis';
import type {
  CompletedRecord,
  IdempotencyClaim,
  IdempotencyStore,
  RememberedEntry,
} from '../../ports/idempotency-store.ts';
import type { RedisConnectionOptions } from './redis-connection.ts';
import { RedisConnection, wholeMs } from './redis-connection.ts';

export interface RedisIdempotencyStoreOptions extends RedisConnectionOptions {
  /** Prepended to every key, so several herald deployments can share one Redis. Default 'hi:'. */
  readonly keyPrefix?: string;
  /**
   * Prepended to every remembered key (remember/recall). Default 'hr:'. Neither prefix may begin
   * with the other, so no remembered key can ever be a record's key.
   */
  readonly recentKeyPrefix?: string;
}

export const DEFAULT_IDEMPOTENCY_KEY_PREFIX = 'hi:';
export const DEFAULT_RECENT_KEY_PREFIX = 'hr:';

/**
 * One string per record, its state in the first field:
 * - `p:<token>:<fingerprint>` in progress, with the lease as TTL;
 * - `c:<fingerprint>:<answer>` completed, with the window as TTL.
 * Tokens (UUIDs) and fingerprints (base64url) hold no ':', so the answer (JSON) is all that follows.
 */
const IN_PROGRESS = 'p';
const COMPLETED = 'c';

/** Replaces the caller's claim (its `p:<token>:` prefix), or a key that lapsed, with the answer. */
const COMPLETE_IF_OURS = `
local current = redis.call('GET', KEYS[1])
if current == false or string.sub(current, 1, string.len(ARGV[1])) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0`;

/** Deletes the key only while it holds the caller's claim: never a completed record, never another's claim. */
const RELEASE_IF_OURS = `
local current = redis.call('GET', KEYS[1])
if current ~= false and string.sub(current, 1, string.len(ARGV[1])) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    heraldCompleteIdempotency(
      key: string,
      claimPrefix: string,
      record: string,
      windowMs: number,
    ): Result<number, Context>;
    heraldReleaseIdempotency(key: string, claimPrefix: string): Result<number, Context>;
  }
}

/**
 * The production idempotency store, on the same Redis as the dedup store (its own connection and
 * key prefix). Every call is one round trip and atomic on the server:
 * - claim: `SET key p:<token>:<fingerprint> NX PX lease GET` (NX with GET needs Redis >= 7.0, as
 *   the dedup store does). A nil reply means the key was free and is now ours; otherwise the reply
 *   is the record that holds it. The lease as TTL frees the key of an API process that died.
 * - complete, release: a script compares the record with the caller's claim and only then writes,
 *   so a caller whose lease lapsed (and whose key someone else claimed) cannot overwrite it.
 * - remember: one `SET key value PX ttl` per entry, issued in one tick and auto-pipelined by the
 *   client into one write per node (as the dedup store does): one round trip, and no multi-key
 *   command, so it works on a cluster too. Not a MULTI: entries are independent, and a partial
 *   write only means a read falls through to history a little earlier.
 * Keys are single (no multi-key commands), so a Redis Cluster needs no hash tags.
 */
export class RedisIdempotencyStore implements IdempotencyStore {
  readonly #connection: RedisConnection;
  readonly #prefix: string;
  readonly #recentPrefix: string;

  constructor(options: RedisIdempotencyStoreOptions) {
    this.#prefix = options.keyPrefix ?? DEFAULT_IDEMPOTENCY_KEY_PREFIX;
    this.#recentPrefix = options.recentKeyPrefix ?? DEFAULT_RECENT_KEY_PREFIX;
    if (this.#prefix.startsWith(this.#recentPrefix) || this.#recentPrefix.startsWith(this.#prefix)) {
      throw new Error(
        `the Redis idempotency store's key prefixes overlap ('${this.#prefix}', '${this.#recentPrefix}'): remembered keys could meet records`,
      );
    }
    this.#connection = new RedisConnection('idempotency', options);
    const client = this.#connection.client;
    client.defineCommand('heraldCompleteIdempotency', { numberOfKeys: 1, lua: COMPLETE_IF_OURS });
    client.defineCommand('heraldReleaseIdempotency', { numberOfKeys: 1, lua: RELEASE_IF_OURS });
  }

  async claim(key: string, fingerprint: string, leaseMs: number): Promise<IdempotencyClaim> {
    const token = randomUUID();
    const held = await this.#connection.run('claim', (client) =>
      client.set(this.#key(key), `${claimPrefix(token)}${fingerprint}`, 'PX', wholeMs(leaseMs), 'NX', 'GET'),
    );
    return held === null ? { state: 'claimed', token } : parseRecord(held);
  }

  async complete(key: string, token: string, record: CompletedRecord, windowMs: number): Promise<void> {
    const value = `${COMPLETED}:${record.fingerprint}:${record.answer}`;
    await this.#connection.run('complete', (client) =>
      client.heraldCompleteIdempotency(this.#key(key), claimPrefix(token), value, wholeMs(windowMs)),
    );
  }

  async release(key: string, token: string): Promise<void> {
    await this.#connection.run('release', (client) =>
      client.heraldReleaseIdempotency(this.#key(key), claimPrefix(token)),
    );
  }

  async remember(entries: readonly RememberedEntry[], ttlMs: number): Promise<void> {
    if (entries.length === 0) return;
    const ttl = wholeMs(ttlMs);
    await this.#connection.run('remember', (client) =>
      Promise.all(entries.map((entry) => client.set(this.#recentKey(entry.key), entry.value, 'PX', ttl))),
    );
  }

  async recall(key: string): Promise<string | undefined> {
    const value = await this.#connection.run('recall', (client) => client.get(this.#recentKey(key)));
    return value ?? undefined;
  }

  async close(): Promise<void> {
    this.#connection.close();
  }

  #key(key: string): string {
    return `${this.#prefix}${key}`;
  }

  #recentKey(key: string): string {
    return `${this.#recentPrefix}${key}`;
  }
}

function claimPrefix(token: string): string {
  return `${IN_PROGRESS}:${token}:`;
}

/** The record another request left: `p:<token>:<fingerprint>` or `c:<fingerprint>:<answer>`. */
function parseRecord(value: string): IdempotencyClaim {
  const first = value.indexOf(':');
  const second = value.indexOf(':', first + 1);
  if (value.slice(0, first) === IN_PROGRESS) {
    return { state: 'in-progress', fingerprint: value.slice(second + 1) };
  }
  return { state: 'completed', fingerprint: value.slice(first + 1, second), answer: value.slice(second + 1) };
}
