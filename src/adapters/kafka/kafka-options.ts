import { ConfigError } from '../../config/env-config.ts';
import type { Logger } from '../../observability/logger.ts';
import { silentLogger } from '../../observability/logger.ts';

export const KAFKA_COMPRESSIONS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
export type KafkaCompression = (typeof KAFKA_COMPRESSIONS)[number];

/** What the composition root passes to build a KafkaTransport. Only brokers and clientId are required. */
export interface KafkaTransportOptions {
  /** Bootstrap brokers, `host:port` each. */
  readonly brokers: readonly string[];
  /** Names this process in broker logs and quotas; consumers append their group. */
  readonly clientId: string;
  readonly compression?: KafkaCompression;
  /** Replicas of each topic herald creates. */
  readonly replicationFactor?: number;
  readonly logger?: Logger;
  /** The broker drops a member that sent no heartbeat for this long, and rebalances. */
  readonly sessionTimeoutMs?: number;
  readonly heartbeatIntervalMs?: number;
  /** How long the broker waits for every member to rejoin during a rebalance. */
  readonly rebalanceTimeoutMs?: number;
  /** Upper bound of the caller's onRevoke (its last commits) before a rejoin or a close goes on. */
  readonly revokeTimeLimitMs?: number;
  /** Records buffered per consumer before fetching pauses (backpressure); it resumes at half. */
  readonly maxBufferedRecords?: number;
  /** One request to a broker (produce, commit, metadata). */
  readonly requestTimeoutMs?: number;
  readonly connectTimeoutMs?: number;
  /** Client-side retries of a failed request (at least 2), and the pause between them. */
  readonly retries?: number;
  readonly retryDelayMs?: number;
  /** How long a fetch waits on the broker for new records (Java's fetch.max.wait.ms). */
  readonly fetchMaxWaitMs?: number;
  readonly fetchMaxBytes?: number;
  /** Per partition and fetch: keeps one hot partition from filling a whole fetch. */
  readonly fetchMaxBytesPerPartition?: number;
  /** `healthy()` answers false when the metadata request takes longer. */
  readonly healthTimeoutMs?: number;
  /** How long ensureTopics waits for new topics to have a leader for every partition. */
  readonly topicReadyTimeoutMs?: number;
}

type Tunables = Omit<Required<KafkaTransportOptions>, 'brokers' | 'clientId' | 'logger'>;

export type ResolvedKafkaOptions = Tunables & {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly logger: Logger;
};

const MIB = 1_048_576;

/**
 * Every client default in one place, with its unit. Chosen for herald's workload: small records,
 * many partitions, a worker that may be slow per record but never stops polling.
 */
export const KAFKA_DEFAULTS: Readonly<Tunables> = Object.freeze({
  compression: 'none',
  replicationFactor: 1,
  // Java's defaults are 45 s / 3 s; 30 s detects a dead worker sooner and still leaves room for
  // revokeTimeLimitMs, during which the client sends no heartbeats (see KafkaConsumer).
  sessionTimeoutMs: 30_000,
  heartbeatIntervalMs: 3_000,
  rebalanceTimeoutMs: 60_000,
  revokeTimeLimitMs: 10_000,
  maxBufferedRecords: 5_000,
  requestTimeoutMs: 5_000,
  connectTimeoutMs: 3_000,
  // A produce to a broker that is down fails after about retries x retryDelayMs: the API answers
  // 503 within a second or so instead of holding the request.
  retries: 3,
  retryDelayMs: 250,
  fetchMaxWaitMs: 500,
  fetchMaxBytes: 16 * MIB,
  fetchMaxBytesPerPartition: 1 * MIB,
  healthTimeoutMs: 1_000,
  topicReadyTimeoutMs: 10_000,
});

const POSITIVE_INTEGERS: readonly (keyof Tunables)[] = [
  'replicationFactor',
  'sessionTimeoutMs',
  'heartbeatIntervalMs',
  'rebalanceTimeoutMs',
  'revokeTimeLimitMs',
  'maxBufferedRecords',
  'requestTimeoutMs',
  'connectTimeoutMs',
  'retryDelayMs',
  'fetchMaxWaitMs',
  'fetchMaxBytes',
  'fetchMaxBytesPerPartition',
  'healthTimeoutMs',
  'topicReadyTimeoutMs',
];

/** Applies the defaults, checks everything at once (ConfigError lists every problem), freezes. */
export function resolveKafkaOptions(options: KafkaTransportOptions): ResolvedKafkaOptions {
  const resolved: ResolvedKafkaOptions = {
    ...KAFKA_DEFAULTS,
    ...withoutUndefined(options),
    brokers: Object.freeze([...options.brokers]),
    clientId: options.clientId,
    logger: options.logger ?? silentLogger(),
  };
  const problems: string[] = [];
  if (resolved.brokers.length === 0) problems.push('kafka: brokers is empty');
  for (const broker of resolved.brokers) {
    if (!/^[^\s:]+:\d{1,5}$/.test(broker)) problems.push(`kafka: broker "${broker}" is not host:port`);
  }
  if (!/^\S+$/.test(resolved.clientId)) problems.push('kafka: clientId must be non-empty, without spaces');
  if (!KAFKA_COMPRESSIONS.includes(resolved.compression)) {
    problems.push(`kafka: compression must be one of ${KAFKA_COMPRESSIONS.join(', ')}`);
  }
  for (const name of POSITIVE_INTEGERS) {
    const value = resolved[name];
    if (!Number.isSafeInteger(value) || (value as number) <= 0) {
      problems.push(`kafka: ${name} must be a positive integer`);
    }
  }
  // The client turns retries <= 1 into "retry forever" for an idempotent producer, which would
  // hold an API request for as long as the broker is down instead of answering 503.
  if (!Number.isSafeInteger(resolved.retries) || resolved.retries < 2) {
    problems.push('kafka: retries must be an integer >= 2');
  }
  if (resolved.heartbeatIntervalMs * 3 > resolved.sessionTimeoutMs) {
    problems.push('kafka: heartbeatIntervalMs must be at most a third of sessionTimeoutMs');
  }
  // No heartbeats go out while onRevoke runs before a rejoin: it must end well inside the session.
  if (resolved.revokeTimeLimitMs + resolved.heartbeatIntervalMs >= resolved.sessionTimeoutMs) {
    problems.push('kafka: revokeTimeLimitMs + heartbeatIntervalMs must be below sessionTimeoutMs');
  }
  if (resolved.rebalanceTimeoutMs < resolved.sessionTimeoutMs) {
    problems.push('kafka: rebalanceTimeoutMs must be at least sessionTimeoutMs');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(resolved);
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
