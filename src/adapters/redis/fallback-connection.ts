import { RedisConnection } from './redis-connection.ts';

/**
 * How an adapter on the hot path reaches Redis when it falls back to counting locally whenever
 * Redis fails (the API's rate limiter, the lanes' vendor rate): short time limits, since every
 * request or send waits on its answer.
 */
export interface RedisFallbackOptions {
  /** redis://host:port, rediss://..., or redis+cluster://h1:p1,h2:p2 (see redis-url.ts). */
  readonly url: string;
  readonly cluster?: boolean;
  /** Prepended to every key, so several deployments can share one Redis (each adapter has a default). */
  readonly keyPrefix?: string;
  /** A command without a reply after this long is answered locally instead. Default 250 ms. */
  readonly commandTimeoutMs?: number;
  /** One connection attempt gives up after this long. Default 2 s. */
  readonly connectTimeoutMs?: number;
  /** Told of every answer made locally because Redis failed (a metric, a log). */
  readonly onFallback?: (error: unknown) => void;
  /** Connection errors, for logging. The client reconnects by itself either way. */
  readonly onBackgroundError?: (error: Error) => void;
}

/** Every request or send waits on these commands: a slow Redis must cost it little. */
const DEFAULT_COMMAND_TIMEOUT_MS = 250;
const DEFAULT_CONNECT_TIMEOUT_MS = 2_000;
/** Before the first connection attempt has ended, a call waits this long for it. */
const FIRST_CONNECT_WAIT_MS = 500;

/** The connection of a falling-back adapter named `what` (for its logs), with the defaults above. */
export function fallbackConnection(what: string, options: RedisFallbackOptions): RedisConnection {
  return new RedisConnection(what, {
    url: options.url,
    ...(options.cluster !== undefined && { cluster: options.cluster }),
    commandTimeoutMs: options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
    connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    connectWaitMs: FIRST_CONNECT_WAIT_MS,
    ...(options.onBackgroundError && { onBackgroundError: options.onBackgroundError }),
  });
}
