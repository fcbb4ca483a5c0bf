import { DEV_RECIPIENT_HASH_SECRET } from '../core/identity/recipient-privacy.ts';

/**
 * Process configuration from HERALD_* environment variables: parsed and validated once at start,
 * defaults and units in one place, then frozen. Every violation is listed at once, naming the
 * variable and what it allows, so a bad deploy fails with one readable message.
 * (Behaviour that changes at run time, such as routing and concurrency, is remote config instead.)
 */
export const SIMULATOR_MODES = ['in-process', 'external', 'off'] as const;
export type SimulatorMode = (typeof SIMULATOR_MODES)[number];

export interface EnvConfig {
  readonly host: string;
  readonly port: number;
  /**
   * Port of /health and /metrics in a process without the API (`herald worker`, `herald
   * retry-worker`), on HERALD_HOST; 0 = any free port (logged at start). The API serves both on
   * HERALD_PORT. Several workers on one host need one port each.
   */
  readonly metricsPort: number;
  readonly dataDir: string;
  readonly logLevel: string;
  readonly bootstrapApiKey: string | undefined;
  /** Partitions of each topic created at start. */
  readonly partitions: number;
  readonly simulators: SimulatorMode;
  /** Base URL of an external simulator process (`herald sim`), when simulators = external. */
  readonly simulatorUrl: string | undefined;
  /** Median latency of the in-process simulators, ms. */
  readonly simulatorLatencyMs: number;
  /** Secret for the recipient lookup hash in history. */
  readonly recipientHashSecret: string;
  /** Upper bound of a graceful shutdown, ms. */
  readonly shutdownTimeoutMs: number;
  /** Nice increment of a worker process that runs only batch/ad lanes (0 = leave priority alone). */
  readonly backgroundNice: number;
  /** Largest request body accepted, bytes. */
  readonly bodyLimitBytes: number;
  /** Kafka bootstrap brokers; when set, the transport is Kafka instead of the embedded log. */
  readonly kafkaBrokers: readonly string[] | undefined;
  readonly kafkaCompression: KafkaCompressionSetting;
  /** Redis URL; when set, the dedup store is Redis. */
  readonly redisUrl: string | undefined;
  /** PostgreSQL URL; when set, history and config live in PostgreSQL. */
  readonly databaseUrl: string | undefined;
  /** Items (messages + events) the local history spool may hold during a database outage. */
  readonly historySpoolMaxItems: number;
  /**
   * Separates installations sharing Kafka, Redis and PostgreSQL (staging beside production,
   * parallel test runs): prefixes topics and consumer groups, Redis keys, and names the
   * PostgreSQL schema. Unset: topics `herald.*`, schema `herald`.
   */
  readonly namespace: string | undefined;
}

/** The port Prometheus exporters conventionally use (OpenTelemetry's Prometheus exporter, 9464). */
export const DEFAULT_METRICS_PORT = 9464;

export const KAFKA_COMPRESSIONS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
export type KafkaCompressionSetting = (typeof KAFKA_COMPRESSIONS)[number];

type Env = Readonly<Record<string, string | undefined>>;

export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export function loadEnvConfig(env: Env = process.env): EnvConfig {
  const problems: string[] = [];
  const read = new EnvReader(env, problems);
  const config: EnvConfig = {
    host: read.string('HERALD_HOST', '127.0.0.1'),
    port: read.integer('HERALD_PORT', 8080, 0, 65_535),
    metricsPort: read.integer('HERALD_METRICS_PORT', DEFAULT_METRICS_PORT, 0, 65_535),
    dataDir: read.string('HERALD_DATA_DIR', './data'),
    logLevel: read.oneOf('HERALD_LOG_LEVEL', 'info', [
      'fatal',
      'error',
      'warn',
      'info',
      'debug',
      'trace',
      'silent',
    ]),
    bootstrapApiKey: read.optionalString('HERALD_BOOTSTRAP_API_KEY', 8),
    partitions: read.integer('HERALD_PARTITIONS', 4, 1, 256),
    simulators: read.oneOf('HERALD_SIMULATORS', 'in-process', SIMULATOR_MODES),
    simulatorUrl: read.optionalUrl('HERALD_SIMULATOR_URL', ['http:', 'https:'])?.replace(/\/+$/, ''),
    simulatorLatencyMs: read.integer('HERALD_SIMULATOR_LATENCY_MS', 20, 0, 600_000),
    recipientHashSecret: read.string('HERALD_RECIPIENT_HASH_SECRET', DEV_RECIPIENT_HASH_SECRET),
    shutdownTimeoutMs: read.integer('HERALD_SHUTDOWN_TIMEOUT_MS', 15_000, 0, 600_000),
    backgroundNice: read.integer('HERALD_BACKGROUND_NICE', 10, 0, 19),
    bodyLimitBytes: read.integer('HERALD_BODY_LIMIT_BYTES', 1_048_576, 1_024, 64 * 1_048_576),
    kafkaBrokers: read.brokerList('HERALD_KAFKA_BROKERS'),
    kafkaCompression: read.oneOf('HERALD_KAFKA_COMPRESSION', 'lz4', KAFKA_COMPRESSIONS),
    redisUrl: read.optionalUrl('HERALD_REDIS_URL', ['redis:', 'rediss:', 'redis+cluster:']),
    databaseUrl: read.optionalUrl('HERALD_DATABASE_URL', ['postgres:', 'postgresql:']),
    historySpoolMaxItems: read.integer('HERALD_HISTORY_SPOOL_MAX_ITEMS', 5_000_000, 1_000, 1_000_000_000),
    namespace: read.matching(
      'HERALD_NAMESPACE',
      /^[a-z][a-z0-9_]{0,31}$/,
      'a lowercase letter, then up to 31 of a-z 0-9 _',
    ),
  };
  if (config.simulators === 'external' && !config.simulatorUrl) {
    problems.push(
      'HERALD_SIMULATOR_URL is required when HERALD_SIMULATORS=external (e.g. http://127.0.0.1:9100)',
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}

class EnvReader {
  readonly #env: Env;
  readonly #problems: string[];

  constructor(env: Env, problems: string[]) {
    this.#env = env;
    this.#problems = problems;
  }

  #raw(name: string): string | undefined {
    const value = this.#env[name]?.trim();
    return value === '' ? undefined : value;
  }

  string(name: string, fallback: string): string {
    return this.#raw(name) ?? fallback;
  }

  optionalString(name: string, minLength: number): string | undefined {
    const value = this.#raw(name);
    if (value !== undefined && value.length < minLength) {
      this.#problems.push(`${name} must be at least ${minLength} characters`);
    }
    return value;
  }

  optionalUrl(name: string, protocols: readonly string[]): string | undefined {
    const value = this.#raw(name);
    if (value === undefined) return undefined;
    if (!URL.canParse(value) || !protocols.includes(new URL(value).protocol)) {
      const schemes = protocols.map((p) => `${p}//`).join(' or ');
      this.#problems.push(`${name} must be a URL starting with ${schemes}, got "${redactUrl(value)}"`);
    }
    return value;
  }

  matching(name: string, pattern: RegExp, allowed: string): string | undefined {
    const value = this.#raw(name);
    if (value !== undefined && !pattern.test(value)) {
      this.#problems.push(`${name} must be ${allowed}, got "${value}"`);
    }
    return value;
  }

  /** `host:port[,host:port...]`, as Kafka clients take bootstrap servers. */
  brokerList(name: string): string[] | undefined {
    const value = this.#raw(name);
    if (value === undefined) return undefined;
    const brokers = value.split(',').map((broker) => broker.trim());
    if (brokers.some((broker) => !/^[^\s:,]+:\d{1,5}$/.test(broker))) {
      this.#problems.push(`${name} must be host:port[,host:port...], got "${value}"`);
    }
    return brokers;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const value = this.#raw(name);
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
      this.#problems.push(`${name} must be an integer from ${min} to ${max}, got "${value}"`);
      return fallback;
    }
    return parsed;
  }

  oneOf<T extends string>(name: string, fallback: T, allowed: readonly T[]): T {
    const value = this.#raw(name);
    if (value === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(value)) {
      this.#problems.push(`${name} must be one of ${allowed.join(', ')}, got "${value}"`);
      return fallback;
    }
    return value as T;
  }
}

/** A URL as it may appear in an error message: without its password. */
function redactUrl(value: string): string {
  return value.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}
