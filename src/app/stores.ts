import { join } from 'node:path';
import { KafkaTransport } from '../adapters/kafka/kafka-transport.ts';
import { NamespacedTransport } from '../adapters/namespaced-transport.ts';
import { PostgresConfigStore } from '../adapters/postgres/postgres-config-store.ts';
import { PostgresDeviceRegistry } from '../adapters/postgres/postgres-device-registry.ts';
import { PostgresHistoryStore } from '../adapters/postgres/postgres-history-store.ts';
import { PostgresMediaStore } from '../adapters/postgres/postgres-media-store.ts';
import { PostgresScheduleStore } from '../adapters/postgres/postgres-schedule-store.ts';
import { PostgresSenderRegistry } from '../adapters/postgres/postgres-sender-registry.ts';
import { PostgresTemplateStore } from '../adapters/postgres/postgres-template-store.ts';
import { createMemoryRateLimiter } from '../adapters/rate-limit/flexible-rate-limiter.ts';
import { RedisDedupStore } from '../adapters/redis/redis-dedup-store.ts';
import { RedisIdempotencyStore } from '../adapters/redis/redis-idempotency-store.ts';
import { RedisRateLimiter } from '../adapters/redis/redis-rate-limiter.ts';
import { RedisVendorRate } from '../adapters/redis/redis-vendor-rate.ts';
import { SqliteConfigStore } from '../adapters/sqlite/sqlite-config-store.ts';
import { SqliteDedupStore } from '../adapters/sqlite/sqlite-dedup-store.ts';
import { SqliteDeviceRegistry } from '../adapters/sqlite/sqlite-device-registry.ts';
import { SqliteHistoryStore } from '../adapters/sqlite/sqlite-history-store.ts';
import { SqliteIdempotencyStore } from '../adapters/sqlite/sqlite-idempotency-store.ts';
import { SqliteMediaStore } from '../adapters/sqlite/sqlite-media-store.ts';
import { SqliteScheduleStore } from '../adapters/sqlite/sqlite-schedule-store.ts';
import { SqliteSenderRegistry } from '../adapters/sqlite/sqlite-sender-registry.ts';
import { SqliteTemplateStore } from '../adapters/sqlite/sqlite-template-store.ts';
import { SqliteTransport } from '../adapters/sqlite/sqlite-transport.ts';
import { LocalVendorRate } from '../adapters/vendor-rate/local-vendor-rate.ts';
import type { EnvConfig } from '../config/env-config.ts';
import type { Logger } from '../observability/logger.ts';
import type { ConfigStore } from '../ports/config-store.ts';
import type { DedupStore } from '../ports/dedup-store.ts';
import type { DeviceRegistry } from '../ports/device-registry.ts';
import type { HistoryStore } from '../ports/history-store.ts';
import type { IdempotencyStore } from '../ports/idempotency-store.ts';
import type { MediaStore } from '../ports/media-store.ts';
import type { RateLimiter } from '../ports/rate-limiter.ts';
import type { ScheduleStore } from '../ports/schedule-store.ts';
import type { SenderRegistry } from '../ports/sender-registry.ts';
import type { TemplateStore } from '../ports/template-store.ts';
import type { Transport } from '../ports/transport.ts';
import type { VendorRate } from '../ports/vendor-rate.ts';
import { secureDataDir } from './data-dir.ts';

/** The stores herald runs on, whatever adapters sit behind them. */
export interface Stores {
  readonly transport: Transport;
  readonly dedup: DedupStore;
  /**
   * Clients' Idempotency-Key records: on the dedup engine (Redis, or SQLite), not in history.
   * Opened only where the API runs.
   */
  readonly idempotency: IdempotencyStore | undefined;
  readonly history: HistoryStore;
  readonly config: ConfigStore;
  /** Clients' AlimTalk templates, their versions and audit trail (API, lane workers, the sync). */
  readonly templates: TemplateStore;
  /** Where retries and night ads wait for their time; opened only where retry workers run. */
  readonly schedule: ScheduleStore | undefined;
  /**
   * Push tokens of the clients' users: the API registers them, lane workers send to them (and mark
   * them dead). Opened where the API or lane workers run.
   */
  readonly devices: DeviceRegistry | undefined;
  /**
   * MMS images' bytes: the API stores them, lane workers read them. Opened where the device
   * registry is (the API and lane workers), beside history and config (PostgreSQL or its own file).
   */
  readonly media: MediaStore | undefined;
  /**
   * Who each client sends as (sender numbers, Kakao channels, image hosts): the API registers and
   * checks them. Opened where the API runs.
   */
  readonly senders: SenderRegistry | undefined;
  /** Which adapter each store is, for the start-up log and /health. */
  readonly engines: Readonly<
    Record<
      | 'transport'
      | 'dedup'
      | 'idempotency'
      | 'history'
      | 'config'
      | 'templates'
      | 'schedule'
      | 'devices'
      | 'media'
      | 'senders',
      string
    >
  >;
}

/**
 * The stores only some processes use: the API's idempotency records, the retry workers' schedule,
 * the device registry of the API and the lane workers.
 */
export interface StoreUses {
  readonly idempotency: boolean;
  readonly schedule: boolean;
  readonly devices: boolean;
  /** The sender registry (absent: not opened). */
  readonly senders?: boolean;
}

const EVERY_USE: StoreUses = { idempotency: true, schedule: true, devices: true, senders: true };

/**
 * Chooses each store's adapter from configuration alone: Kafka when HERALD_KAFKA_BROKERS is set,
 * Redis (dedup and idempotency records) when HERALD_REDIS_URL is, PostgreSQL when
 * HERALD_DATABASE_URL is; otherwise the embedded
 * default, each store in its own SQLite file under the data directory (one file each, so their
 * writes do not queue behind one lock). History is written only by the history writer, from the
 * history log (core/history/history-log.ts), so a database outage does not stop sending. The schedule store is never Redis, even when Redis is
 * configured: herald's Redis may keep nothing on disk, and a restart must not lose deferred ads.
 * The device registry sits with history and config (PostgreSQL, or its own SQLite file): tokens
 * must survive any restart, and a worker reads them per batch, not per message.
 * The data directory is made owner-only first. A process opens the idempotency and schedule
 * stores only when it has a use for them (`uses`), so a worker holds no idempotency connection and
 * an API process no schedule store.
 */
export function openStores(env: EnvConfig, logger: Logger, uses: StoreUses = EVERY_USE): Stores {
  secureDataDir(env.dataDir, logger);
  const onBackgroundError = (error: unknown) => logger.warn({ err: error }, 'store housekeeping failed');
  const kafka = env.kafkaBrokers
    ? new KafkaTransport({
        brokers: env.kafkaBrokers,
        clientId: 'herald',
        compression: env.kafkaCompression,
        logger: logger.child({ component: 'kafka' }),
      })
    : undefined;
  const transport = kafka
    ? env.namespace
      ? new NamespacedTransport(kafka, env.namespace)
      : kafka
    : new SqliteTransport({
        path: join(env.dataDir, 'transport.db'),
        retentionMs: env.transportRetentionMs,
        onBackgroundError,
      });
  // One Redis for both, each store with its own connection and key prefix (per namespace).
  const onRedis = (prefix: string) => ({
    url: env.redisUrl!,
    onBackgroundError,
    ...(env.namespace ? { keyPrefix: `${env.namespace}:${prefix}` } : {}),
  });
  const dedup = env.redisUrl
    ? new RedisDedupStore(onRedis('hd:'))
    : new SqliteDedupStore({ path: join(env.dataDir, 'dedup.db'), onBackgroundError });
  const idempotency = !uses.idempotency
    ? undefined
    : env.redisUrl
      ? new RedisIdempotencyStore({
          ...onRedis('hi:'),
          // Recently accepted requests (read-your-writes), apart from the idempotency records.
          ...(env.namespace ? { recentKeyPrefix: `${env.namespace}:hr:` } : {}),
        })
      : new SqliteIdempotencyStore({ path: join(env.dataDir, 'idempotency.db'), onBackgroundError });
  // The projection the history writer folds the history log into (core/history), and reads.
  const history = env.databaseUrl
    ? new PostgresHistoryStore({ ...postgresTarget(env), onBackgroundError })
    : new SqliteHistoryStore({ path: join(env.dataDir, 'history.db') });
  return {
    transport,
    dedup,
    idempotency,
    history,
    config: openConfigStore(env),
    templates: openTemplateStore(env),
    schedule: uses.schedule ? openScheduleStore(env, onBackgroundError) : undefined,
    devices: uses.devices ? openDeviceRegistry(env, onBackgroundError) : undefined,
    media: uses.devices ? openMediaStore(env, onBackgroundError) : undefined,
    senders: uses.senders ? openSenderRegistry(env, onBackgroundError) : undefined,
    engines: {
      transport: env.kafkaBrokers ? 'kafka' : 'sqlite',
      dedup: env.redisUrl ? 'redis' : 'sqlite',
      idempotency: env.redisUrl ? 'redis' : 'sqlite',
      history: env.databaseUrl ? 'postgres' : 'sqlite',
      config: env.databaseUrl ? 'postgres' : 'sqlite',
      templates: env.databaseUrl ? 'postgres' : 'sqlite',
      schedule: env.databaseUrl ? 'postgres' : 'sqlite',
      devices: env.databaseUrl ? 'postgres' : 'sqlite',
      media: env.databaseUrl ? 'postgres' : 'sqlite',
      senders: env.databaseUrl ? 'postgres' : 'sqlite',
    },
  };
}

function openScheduleStore(env: EnvConfig, onBackgroundError: (error: unknown) => void): ScheduleStore {
  return env.databaseUrl
    ? new PostgresScheduleStore({ ...postgresTarget(env), onBackgroundError })
    : new SqliteScheduleStore({ path: join(env.dataDir, 'schedule.db') });
}

function openMediaStore(env: EnvConfig, onBackgroundError: (error: unknown) => void): MediaStore {
  return env.databaseUrl
    ? new PostgresMediaStore({ ...postgresTarget(env), onBackgroundError })
    : new SqliteMediaStore({ path: join(env.dataDir, 'media.db'), onBackgroundError });
}

function openDeviceRegistry(env: EnvConfig, onBackgroundError: (error: unknown) => void): DeviceRegistry {
  return env.databaseUrl
    ? new PostgresDeviceRegistry({ ...postgresTarget(env), onBackgroundError })
    : new SqliteDeviceRegistry({ path: join(env.dataDir, 'devices.db') });
}

/** Beside the device registry: PostgreSQL, or its own SQLite file (senders.db). */
/** The sender registry of this deployment (also for an operator command, which closes it after use). */
export function openSenderRegistry(
  env: EnvConfig,
  onBackgroundError: (error: unknown) => void,
): SenderRegistry {
  return env.databaseUrl
    ? new PostgresSenderRegistry({ ...postgresTarget(env), onBackgroundError })
    : new SqliteSenderRegistry({ path: join(env.dataDir, 'senders.db') });
}

/** Redis failures of the rate limiter and the vendor rate are logged at most this often (each one is counted). */
const FALLBACK_LOG_INTERVAL_MS = 10_000;

/**
 * The API's rate limiter: in Redis when HERALD_REDIS_URL is set, so every API process counts
 * against one allowance per client; in memory on the embedded default. While Redis fails, the
 * Redis limiter decides with local counters (fail-open to a local limit, not to none), and each
 * such decision goes to `onFallback`.
 */
export function openRateLimiter(env: EnvConfig, logger: Logger, onFallback: () => void): RateLimiter {
  if (!env.redisUrl) return createMemoryRateLimiter();
  let loggedAt = Number.NEGATIVE_INFINITY;
  return new RedisRateLimiter({
    url: env.redisUrl,
    keyPrefix: env.namespace ? `${env.namespace}:rl:` : 'rl:',
    onFallback: (error) => {
      onFallback();
      if (Date.now() - loggedAt < FALLBACK_LOG_INTERVAL_MS) return;
      loggedAt = Date.now();
      logger.warn({ err: error }, "rate limiter: Redis unavailable, limiting with this process's counters");
    },
    onBackgroundError: (error) => logger.debug({ err: error }, 'rate limiter: Redis connection error'),
  });
}

/**
 * The vendors' send rate (`maxPerSecond`): in Redis when HERALD_REDIS_URL is set, so the worker
 * processes of a lane share each vendor's rate; in this process on the embedded default. While
 * Redis fails, each process sends at the full rate from its own bucket, and each such take goes to
 * `onFallback`.
 */
export function openVendorRate(env: EnvConfig, logger: Logger, onFallback: () => void): VendorRate {
  if (!env.redisUrl) return new LocalVendorRate();
  let loggedAt = Number.NEGATIVE_INFINITY;
  return new RedisVendorRate({
    url: env.redisUrl,
    keyPrefix: env.namespace ? `${env.namespace}:vr:` : 'vr:',
    onFallback: (error) => {
      onFallback();
      if (Date.now() - loggedAt < FALLBACK_LOG_INTERVAL_MS) return;
      loggedAt = Date.now();
      logger.warn({ err: error }, "vendor rate: Redis unavailable, pacing with this process's buckets");
    },
    onBackgroundError: (error) => logger.debug({ err: error }, 'vendor rate: Redis connection error'),
  });
}

/** Only the config store (API keys, remote config), for operator commands that need nothing else. */
export function openConfigStore(env: EnvConfig): ConfigStore {
  return env.databaseUrl
    ? new PostgresConfigStore(postgresTarget(env))
    : new SqliteConfigStore({ path: join(env.dataDir, 'config.db') });
}

/** The template store (the API, lane workers, and `herald templates` commands). */
export function openTemplateStore(env: EnvConfig): TemplateStore {
  return env.databaseUrl
    ? new PostgresTemplateStore(postgresTarget(env))
    : new SqliteTemplateStore({ path: join(env.dataDir, 'templates.db') });
}

function postgresTarget(env: EnvConfig): { connectionString: string; schema?: string } {
  return {
    connectionString: env.databaseUrl!,
    ...(env.namespace ? { schema: `herald_${env.namespace}` } : {}),
  };
}

/** Closes every store; one failing to close does not keep the others open. */
export async function closeStores(stores: Stores): Promise<void> {
  await Promise.allSettled([
    stores.transport.close(),
    stores.dedup.close(),
    stores.idempotency?.close(),
    stores.history.close(),
    stores.config.close(),
    stores.templates.close(),
    stores.schedule?.close(),
    stores.devices?.close(),
    stores.media?.close(),
    stores.senders?.close(),
  ]);
}
