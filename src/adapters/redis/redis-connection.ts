import { HeraldError, isHeraldError } from '../../core/domain/errors.ts';
import type { RedisClient } from './redis-client.ts';
import { ConnectionGate, createRedisClient } from './redis-client.ts';
import { parseRedisUrl, redactPassword } from './redis-url.ts';

export interface RedisConnectionOptions {
  /** redis://host:port, rediss://..., or redis+cluster://h1:p1,h2:p2 (see redis-url.ts). */
  readonly url: string;
  /** Treat the URL's node(s) as cluster seeds even with a plain redis:// scheme. */
  readonly cluster?: boolean;
  /** A call without a reply after this long fails (and its caller fails open). Default 500 ms. */
  readonly commandTimeoutMs?: number;
  /** One connection attempt gives up after this long; also the longest a call waits for the first connection. Default 2 s. */
  readonly connectTimeoutMs?: number;
  /** The longest a call waits for a connection, when it must be shorter than connectTimeoutMs. */
  readonly connectWaitMs?: number;
  /** Connection errors, for logging. The client reconnects by itself either way. */
  readonly onBackgroundError?: (error: Error) => void;
}

const DEFAULT_COMMAND_TIMEOUT_MS = 500;
const DEFAULT_CONNECT_TIMEOUT_MS = 2_000;

/**
 * What every Redis store of herald stands on: its own client (fail-fast, auto-pipelined; see
 * redis-client.ts), a gate that lets calls through only while connected, and one mapping of any
 * failure to HERALD_UNAVAILABLE (retryable), the code callers act on.
 */
export class RedisConnection {
  readonly client: RedisClient;
  /** Whether the target is a Redis Cluster (keys must then stay within one slot per command). */
  readonly cluster: boolean;
  readonly #gate: ConnectionGate;
  readonly #connectWaitMs: number;
  /** What the store is ('dedup', 'idempotency') and where, for error messages; no password. */
  readonly #store: string;
  readonly #where: string;
  #closed = false;

  constructor(store: string, options: RedisConnectionOptions) {
    this.#store = store;
    const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    this.#connectWaitMs = options.connectWaitMs ?? connectTimeoutMs;
    this.#where = redactPassword(options.url);
    const target = parseRedisUrl(options.url, options.cluster);
    this.cluster = target.cluster;
    this.client = createRedisClient(target, {
      commandTimeoutMs: options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
      connectTimeoutMs,
      ...(options.onBackgroundError && { onBackgroundError: options.onBackgroundError }),
    });
    this.#gate = new ConnectionGate(this.client);
  }

  /** Runs `work` once the client is connected; any failure comes out as HERALD_UNAVAILABLE. */
  async run<T>(operation: string, work: (client: RedisClient) => Promise<T>): Promise<T> {
    try {
      if (this.#closed) {
        throw new HeraldError('HERALD_UNAVAILABLE', `the Redis ${this.#store} store is closed`, {
          retryable: true,
        });
      }
      await this.#gate.pass(operation, this.#connectWaitMs);
      return await work(this.client);
    } catch (error) {
      if (isHeraldError(error)) throw error;
      throw new HeraldError(
        'HERALD_UNAVAILABLE',
        `Redis ${this.#store} ${operation} failed at ${this.#where}`,
        {
          retryable: true,
          cause: error,
        },
      );
    }
  }

  /** One PING, within the connect time limit; false while Redis is down or this connection is closed. */
  async healthy(): Promise<boolean> {
    try {
      return (await this.run('health check', (client) => client.ping())) === 'PONG';
    } catch {
      return false;
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    // disconnect, not quit: a closing process must not wait on a Redis that is down.
    this.client.disconnect();
  }
}

/** PX takes a positive integer: round a fractional TTL up, and never send 0 (an error in Redis). */
export function wholeMs(ms: number): number {
  return Math.max(1, Math.ceil(ms));
}
