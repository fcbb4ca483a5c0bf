import type { Result } from 'ioredis';
import { HeraldError, isHeraldError } from '../../core/domain/errors.ts';
import type { DedupStore, ReserveVerdict } from '../../ports/dedup-store.ts';
import { CONFIRMED, DEFAULT_KEY_PREFIX, encodeDedupKey, RESERVED } from './dedup-keys.ts';
import type { RedisClient } from './redis-client.ts';
import { ConnectionGate, createRedisClient } from './redis-client.ts';
import { parseRedisUrl, redactPassword } from './redis-url.ts';

export interface RedisDedupStoreOptions {
  /** redis://host:port, rediss://..., or redis+cluster://h1:p1,h2:p2 (see redis-url.ts). */
  readonly url: string;
  /** Treat the URL's node(s) as cluster seeds even with a plain redis:// scheme. */
  readonly cluster?: boolean;
  /** Prepended to every key, so several herald deployments can share one Redis. Default 'hd:'. */
  readonly keyPrefix?: string;
  /** A batch without a reply after this long fails (and the pipeline fails open). Default 500 ms. */
  readonly commandTimeoutMs?: number;
  /** One connection attempt gives up after this long; also the longest a call waits for the first connection. Default 2 s. */
  readonly connectTimeoutMs?: number;
  /** Connection errors, for logging. The client reconnects by itself either way. */
  readonly onBackgroundError?: (error: Error) => void;
}

const DEFAULT_COMMAND_TIMEOUT_MS = 500;
const DEFAULT_CONNECT_TIMEOUT_MS = 2_000;

/**
 * Deletes the key only while it still holds a reservation, in one atomic step: a plain DEL would
 * let a confused or late release erase a confirmed key and open the door to a second send.
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
 */
export class RedisDedupStore implements DedupStore {
  readonly #client: RedisClient;
  readonly #gate: ConnectionGate;
  readonly #prefix: string;
  /** Raw 16-byte keys on a standalone server; text keys on a cluster (see dedup-keys.ts). */
  readonly #binaryKeys: boolean;
  readonly #connectTimeoutMs: number;
  readonly #where: string;
  #closed = false;

  constructor(options: RedisDedupStoreOptions) {
    this.#prefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
    this.#connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    this.#where = redactPassword(options.url);
    const target = parseRedisUrl(options.url, options.cluster);
    this.#binaryKeys = !target.cluster;
    this.#client = createRedisClient(target, {
      commandTimeoutMs: options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
      connectTimeoutMs: this.#connectTimeoutMs,
      ...(options.onBackgroundError && { onBackgroundError: options.onBackgroundError }),
    });
    this.#client.defineCommand('heraldReleaseReserved', { numberOfKeys: 1, lua: RELEASE_IF_RESERVED });
    this.#gate = new ConnectionGate(this.#client);
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

  /** One PING, within the command time limit; false while Redis is down or this store is closed. */
  async healthy(): Promise<boolean> {
    if (this.#closed) return false;
    try {
      await this.#gate.pass('health check', this.#connectTimeoutMs);
      return (await this.#client.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // disconnect, not quit: a closing worker must not wait on a Redis that is down.
    this.#client.disconnect();
  }

  /** Issues one command per key in the same tick (one pipeline per node) and maps any failure. */
  async #batch<T>(
    operation: string,
    keys: readonly string[],
    command: (client: RedisClient, key: Buffer) => Promise<T>,
  ): Promise<T[]> {
    try {
      if (this.#closed)
        throw new HeraldError('HERALD_UNAVAILABLE', 'the Redis dedup store is closed', { retryable: true });
      await this.#gate.pass(operation, this.#connectTimeoutMs);
      return await Promise.all(
        keys.map((key) => command(this.#client, encodeDedupKey(this.#prefix, key, this.#binaryKeys))),
      );
    } catch (error) {
      if (isHeraldError(error)) throw error;
      throw new HeraldError('HERALD_UNAVAILABLE', `Redis dedup ${operation} failed at ${this.#where}`, {
        retryable: true,
        cause: error,
      });
    }
  }
}

function toVerdict(previous: string | null): ReserveVerdict {
  if (previous === null) return 'reserved';
  return previous === CONFIRMED ? 'sent' : 'in-flight';
}

/** PX takes a positive integer: round a fractional TTL up, and never send 0 (an error in Redis). */
function wholeMs(ms: number): number {
  return Math.max(1, Math.ceil(ms));
}
