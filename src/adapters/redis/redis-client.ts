import { once } from 'node:events';
import { Cluster, Redis } from 'ioredis';
import { HeraldError } from '../../core/domain/errors.ts';
import type { RedisTarget } from './redis-url.ts';

export type RedisClient = Redis | Cluster;

export interface RedisClientOptions {
  /** A command without a reply after this long rejects (a hung or overloaded server). */
  readonly commandTimeoutMs: number;
  /** One connection attempt gives up after this long (a host that drops packets). */
  readonly connectTimeoutMs: number;
  /** Connection errors, for logging; the client reconnects by itself whatever this does. */
  readonly onBackgroundError?: (error: Error) => void;
}

/** Reconnect quickly at first, then every 2 s at most, forever: dedup resumes soon after Redis returns. */
const MAX_RECONNECT_DELAY_MS = 2_000;
export function reconnectDelay(attempt: number): number {
  return Math.min(50 * 2 ** Math.min(attempt, 10), MAX_RECONNECT_DELAY_MS);
}

/**
 * An ioredis client tuned to fail fast instead of queueing: no offline queue (a command while
 * disconnected rejects at once, rather than piling up for the whole outage and being replayed
 * late), no replay of unanswered commands after a reconnect (their callers have long been told
 * they failed), a command time limit, and auto-pipelining, so every command issued in one tick
 * leaves in one write per node: one round trip per batch, standalone or cluster.
 */
export function createRedisClient(target: RedisTarget, options: RedisClientOptions): RedisClient {
  const connection = {
    commandTimeout: options.commandTimeoutMs,
    connectTimeout: options.connectTimeoutMs,
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 0,
    ...(target.username !== undefined && { username: target.username }),
    ...(target.password !== undefined && { password: target.password }),
    ...(target.tls && { tls: {} }),
  };
  const client = target.cluster
    ? new Cluster(
        target.nodes.map((node) => ({ host: node.host, port: node.port })),
        {
          enableOfflineQueue: false,
          enableAutoPipelining: true,
          clusterRetryStrategy: reconnectDelay,
          slotsRefreshTimeout: options.connectTimeoutMs,
          redisOptions: connection,
        },
      )
    : new Redis({
        ...connection,
        host: target.nodes[0]!.host,
        port: target.nodes[0]!.port,
        db: target.db,
        enableOfflineQueue: false,
        enableAutoPipelining: true,
        retryStrategy: reconnectDelay,
      });
  // Without a listener ioredis prints every failed reconnect to the console.
  client.on('error', (error: Error) => options.onBackgroundError?.(error));
  return client;
}

/**
 * Lets a call through only while the client is connected. Before the first connection attempt
 * has ended, a call waits for it (bounded), so a worker's first batch after start does not fail
 * open just because the socket was still opening. After that, a disconnected client fails at
 * once: the pipeline fails open without waiting, and ioredis reconnects in the background.
 */
export class ConnectionGate {
  readonly #client: RedisClient;
  readonly #firstAttempt: Promise<unknown>;
  #firstAttemptOver = false;

  constructor(client: RedisClient) {
    this.#client = client;
    const controller = new AbortController();
    this.#firstAttempt = Promise.race([
      once(client, 'ready', { signal: controller.signal }),
      once(client, 'close', { signal: controller.signal }),
      once(client, 'end', { signal: controller.signal }),
    ])
      .catch(() => {})
      .finally(() => {
        this.#firstAttemptOver = true;
        controller.abort();
      });
  }

  async pass(operation: string, waitMs: number): Promise<void> {
    if (this.#connected()) return;
    if (!this.#firstAttemptOver) {
      await Promise.race([this.#firstAttempt, new Promise((resolve) => setTimeout(resolve, waitMs).unref())]);
      if (this.#connected()) return;
    }
    throw new HeraldError(
      'HERALD_UNAVAILABLE',
      `Redis is not connected (${this.#client.status}) during ${operation}`,
      {
        retryable: true,
      },
    );
  }

  #connected(): boolean {
    return this.#client.status === 'ready';
  }
}
