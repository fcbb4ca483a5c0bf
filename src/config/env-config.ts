import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { parseRedisUrl } from '../adapters/redis/redis-url.ts';
import { DEV_RECIPIENT_HASH_SECRET } from '../core/identity/recipient-privacy.ts';
import { DEFAULT_REQUEST_CONTENT_LIMIT_BYTES } from '../core/submission/content-budget.ts';
import { type Env, EnvReader, type EnvVariable } from './env-reader.ts';
import { MAKE_A_SECRET, MIN_SECRET_LENGTH, productionEngineRules } from './production-engine-rules.ts';

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
  /** An admin API key stored at start; a different key at the next start replaces it. */
  readonly bootstrapApiKey: string | undefined;
  /** Partitions of each topic created at start. */
  readonly partitions: number;
  readonly simulators: SimulatorMode;
  /** Base URL of an external simulator process (`herald sim`), when simulators = external. */
  readonly simulatorUrl: string | undefined;
  /** SMTP port of the external simulator process (`herald sim --smtp-port`), on HERALD_SIMULATOR_URL's host. */
  readonly simulatorSmtpPort: number;
  /** Median latency of the in-process simulators, ms. */
  readonly simulatorLatencyMs: number;
  /**
   * Where the simulator's push credentials are (generated once): the service accounts and .p8 keys
   * herald's FCM and APNs adapters sign with when a vendor's endpoint is `simulator`, and the
   * simulator trusts. A `herald sim` process must be given the same directory (--credentials-dir).
   */
  readonly simulatorCredentialsDir: string;
  /** Secret for the recipient lookup hash in history and the opt-out lists. */
  readonly recipientHashSecret: string;
  /**
   * Base64 of the 32-byte key that seals clients' webhook signing secrets at rest
   * (core/callbacks/secret-box.ts). Unset: a key generated once in the data directory (webhook.key).
   */
  readonly webhookKey: string | undefined;
  /**
   * HMAC key of the unsubscribe links of ad e-mail (identity/unsubscribe-token.ts). Unset: derived
   * from the recipient-hash secret, so it is as secret as that one.
   */
  readonly unsubscribeSecret: string;
  /**
   * The base URL people and mailboxes reach herald's API at, for the unsubscribe links of ad e-mail
   * (`<publicUrl>/v1/unsubscribe/<token>`). Unset: the API's own address once it listens.
   */
  readonly publicUrl: string | undefined;
  /**
   * The shared secret SOLAPI's message-report webhook URL carries (`/v1/receipts/solapi?token=`):
   * SOLAPI signs nothing. Unset: herald takes no SOLAPI reports (the look-up still finds them).
   */
  readonly solapiWebhookSecret: string | undefined;
  /**
   * Where SES' bounce and delivery notifications come from (docs/vendors/ses.md): the hosts SNS'
   * SigningCertURL may name (default SNS in Seoul), and the topics herald subscribed (absent: any
   * topic whose message verifies).
   */
  readonly sesNotifications: {
    readonly certificateHosts: readonly string[];
    readonly topicArns?: readonly string[];
  };
  /** How long the embedded log keeps a record once every group reading its topic committed it, ms. */
  readonly transportRetentionMs: number;
  /** Upper bound of a graceful shutdown, ms. */
  readonly shutdownTimeoutMs: number;
  /** Nice increment of a worker process that runs only batch/ad lanes (0 = leave priority alone). */
  readonly backgroundNice: number;
  /** Largest request body accepted, bytes. */
  readonly bodyLimitBytes: number;
  /**
   * Most text the messages of one request may carry together (each recipient's copy, as encoded
   * on the transport), bytes: bounds the work one request makes (413 HERALD_MESSAGES_TOO_LARGE).
   */
  readonly requestContentLimitBytes: number;
  /**
   * HERALD_TRUST_PROXY: addresses or CIDR ranges of the load balancers in front of herald,
   * comma-separated. A request from one of them is taken to come from the address its
   * X-Forwarded-For names, which is what failed-auth throttling counts per; without this, every
   * client behind a balancer would share the balancer's address (and its throttle). Default: none,
   * the socket's address.
   */
  readonly trustProxy: readonly string[];
  /** Time limits and connection cap of the HTTP server. */
  readonly http: HttpLimitsConfig;
  /** Kafka bootstrap brokers; when set, the transport is Kafka instead of the embedded log. */
  readonly kafkaBrokers: readonly string[] | undefined;
  readonly kafkaCompression: KafkaCompressionSetting;
  /** Redis URL; when set, the dedup store is Redis. */
  readonly redisUrl: string | undefined;
  /** PostgreSQL URL; when set, history and config live in PostgreSQL. */
  readonly databaseUrl: string | undefined;
  /**
   * Night ads (deferred until 08:00 KST) each retry worker releases per second, per lane: the pace
   * of the morning wave, so it never floods the ad lane ahead of its ordinary retries and new ads.
   */
  readonly nightAdReleasePerSecond: number;
  /** How often retry-worker processes sync AlimTalk template states from the vendors, ms (0: never). */
  readonly templateSyncIntervalMs: number;
  /**
   * Separates installations sharing Kafka, Redis and PostgreSQL (staging beside production,
   * parallel test runs): prefixes topics and consumer groups, Redis keys, and names the
   * PostgreSQL schema. Unset: topics `herald.*`, schema `herald`.
   */
  readonly namespace: string | undefined;
}

/** How long the HTTP server waits for a client, and how many connections it holds (ms, count). */
export interface HttpLimitsConfig {
  /** The whole request, headers and body, must arrive within this; else 408 and the connection closes. */
  readonly requestTimeoutMs: number;
  /** The request headers must arrive within this (a slowloris client sends them a byte at a time). */
  readonly headersTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  readonly keepAliveTimeoutMs: number;
  /** Connections beyond this are closed as they arrive. */
  readonly maxConnections: number;
}

/**
 * The request limits leave a slow mobile uplink 30 s for a 1 MiB body; the keep-alive limit, Fastify's
 * default, outlasts the 60 s idle time-out of common load balancers, so they close first (no race).
 */
export const DEFAULT_HTTP_LIMITS: HttpLimitsConfig = {
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  keepAliveTimeoutMs: 72_000,
  maxConnections: 1_000,
};

/** The port Prometheus exporters conventionally use (OpenTelemetry's Prometheus exporter, 9464). */
export const DEFAULT_METRICS_PORT = 9464;

export const KAFKA_COMPRESSIONS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
export type KafkaCompressionSetting = (typeof KAFKA_COMPRESSIONS)[number];

const DEFAULT_DATA_DIR = './data';

/** The simulator's credentials live beside herald's data unless HERALD_SIMULATOR_CREDENTIALS_DIR says otherwise. */
export function defaultSimulatorCredentialsDir(dataDir: string): string {
  return join(dataDir, 'simulator-credentials');
}

const HOUR_MS = 60 * 60 * 1_000;

export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/**
 * `onRead` hears of every variable read, with its default and allowed values: the README's
 * variable table is generated from that (envVariables, env-table.ts).
 */
export function loadEnvConfig(env: Env = process.env, onRead?: (variable: EnvVariable) => void): EnvConfig {
  const problems: string[] = [];
  const read = new EnvReader(env, problems, onRead);
  const config: EnvConfig = {
    host: read.string('HERALD_HOST', '127.0.0.1'),
    port: read.integer('HERALD_PORT', 8080, 0, 65_535),
    metricsPort: read.integer('HERALD_METRICS_PORT', DEFAULT_METRICS_PORT, 0, 65_535),
    dataDir: read.string('HERALD_DATA_DIR', DEFAULT_DATA_DIR),
    logLevel: read.oneOf('HERALD_LOG_LEVEL', 'info', [
      'fatal',
      'error',
      'warn',
      'info',
      'debug',
      'trace',
      'silent',
    ]),
    bootstrapApiKey: read.optionalString('HERALD_BOOTSTRAP_API_KEY', MIN_SECRET_LENGTH, MAKE_A_SECRET),
    partitions: read.integer('HERALD_PARTITIONS', 4, 1, 256),
    ...readSimulators(read, env.HERALD_DATA_DIR?.trim() || DEFAULT_DATA_DIR),
    ...readSecrets(read),
    webhookKey: read.parsed(
      'HERALD_WEBHOOK_KEY',
      parseWebhookKey,
      'base64 of 32 random bytes (openssl rand -base64 32)',
    ),
    publicUrl: read.optionalUrl('HERALD_PUBLIC_URL', ['http:', 'https:'])?.replace(/\/+$/, ''),
    solapiWebhookSecret: read.optionalString(
      'HERALD_SOLAPI_WEBHOOK_SECRET',
      MIN_SECRET_LENGTH,
      MAKE_A_SECRET,
    ),
    sesNotifications: readSesNotifications(read),
    transportRetentionMs: read.integer('HERALD_TRANSPORT_RETENTION_HOURS', 24, 0, 720) * HOUR_MS,
    shutdownTimeoutMs: read.integer('HERALD_SHUTDOWN_TIMEOUT_MS', 15_000, 0, 600_000),
    backgroundNice: read.integer('HERALD_BACKGROUND_NICE', 10, 0, 19),
    bodyLimitBytes: read.integer('HERALD_BODY_LIMIT_BYTES', 1_048_576, 1_024, 64 * 1_048_576),
    requestContentLimitBytes: read.integer(
      'HERALD_REQUEST_CONTENT_LIMIT_BYTES',
      DEFAULT_REQUEST_CONTENT_LIMIT_BYTES,
      64 * 1_024,
      256 * 1_048_576,
    ),
    trustProxy: read.addressList('HERALD_TRUST_PROXY'),
    http: readHttpLimits(read),
    kafkaBrokers: read.brokerList('HERALD_KAFKA_BROKERS'),
    kafkaCompression: read.oneOf('HERALD_KAFKA_COMPRESSION', 'lz4', KAFKA_COMPRESSIONS),
    redisUrl: read.parsed('HERALD_REDIS_URL', parseRedisUrl, REDIS_URL_FORMS),
    databaseUrl: read.optionalUrl('HERALD_DATABASE_URL', ['postgres:', 'postgresql:']),
    nightAdReleasePerSecond: read.integer('HERALD_NIGHT_AD_RELEASE_PER_SECOND', 500, 1, 100_000),
    templateSyncIntervalMs: read.integer('HERALD_TEMPLATE_SYNC_INTERVAL_MS', 86_400_000, 0, 604_800_000),
    namespace: read.matching(
      'HERALD_NAMESPACE',
      /^[a-z][a-z0-9_]{0,31}$/,
      'a lowercase letter, then up to 31 of a-z 0-9 _',
    ),
  };
  problems.push(...productionEngineRules(config, (name) => read.isSet(name)));
  if (config.simulators === 'external' && !config.simulatorUrl) {
    problems.push(
      'HERALD_SIMULATOR_URL is required when HERALD_SIMULATORS=external (e.g. http://127.0.0.1:9100)',
    );
  }
  if (config.http.headersTimeoutMs > config.http.requestTimeoutMs) {
    problems.push('HERALD_HTTP_HEADERS_TIMEOUT_MS must not be longer than HERALD_HTTP_REQUEST_TIMEOUT_MS');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}

function parseWebhookKey(value: string): void {
  if (Buffer.from(value, 'base64').length !== 32)
    throw new Error('must be base64 of exactly 32 bytes (openssl rand -base64 32)');
}

function readSecrets(read: EnvReader): Pick<EnvConfig, 'recipientHashSecret' | 'unsubscribeSecret'> {
  const recipientHashSecret =
    read.optionalString('HERALD_RECIPIENT_HASH_SECRET', MIN_SECRET_LENGTH, MAKE_A_SECRET) ??
    DEV_RECIPIENT_HASH_SECRET;
  const unsubscribeSecret =
    read.optionalString('HERALD_UNSUBSCRIBE_SECRET', MIN_SECRET_LENGTH, MAKE_A_SECRET) ??
    derivedUnsubscribeSecret(recipientHashSecret);
  return { recipientHashSecret, unsubscribeSecret };
}

/**
 * The unsubscribe key when HERALD_UNSUBSCRIBE_SECRET is unset: an HMAC of a fixed label under the
 * recipient-hash secret, so a deployment with its own hash secret has an unguessable unsubscribe
 * key too, and the two keys differ (a link's signature says nothing about the opt-out hashes).
 */
export function derivedUnsubscribeSecret(recipientHashSecret: string): string {
  return createHmac('sha256', recipientHashSecret).update('herald unsubscribe links v1').digest('base64url');
}

/** `herald sim`'s SMTP port unless --smtp-port says otherwise, and where herald looks for it. */
export const DEFAULT_SIMULATOR_SMTP_PORT = 9125;

function readSimulators(
  read: EnvReader,
  dataDir: string,
): Pick<
  EnvConfig,
  'simulators' | 'simulatorUrl' | 'simulatorSmtpPort' | 'simulatorLatencyMs' | 'simulatorCredentialsDir'
> {
  return {
    simulators: read.oneOf('HERALD_SIMULATORS', 'in-process', SIMULATOR_MODES),
    simulatorUrl: read.optionalUrl('HERALD_SIMULATOR_URL', ['http:', 'https:'])?.replace(/\/+$/, ''),
    simulatorSmtpPort: read.integer('HERALD_SIMULATOR_SMTP_PORT', DEFAULT_SIMULATOR_SMTP_PORT, 1, 65_535),
    simulatorLatencyMs: read.integer('HERALD_SIMULATOR_LATENCY_MS', 20, 0, 600_000),
    simulatorCredentialsDir: read.string(
      'HERALD_SIMULATOR_CREDENTIALS_DIR',
      defaultSimulatorCredentialsDir(dataDir),
    ),
  };
}

function readHttpLimits(read: EnvReader): HttpLimitsConfig {
  const defaults = DEFAULT_HTTP_LIMITS;
  const ms = (name: string, fallback: number) => read.integer(name, fallback, 1_000, 600_000);
  return {
    requestTimeoutMs: ms('HERALD_HTTP_REQUEST_TIMEOUT_MS', defaults.requestTimeoutMs),
    headersTimeoutMs: ms('HERALD_HTTP_HEADERS_TIMEOUT_MS', defaults.headersTimeoutMs),
    keepAliveTimeoutMs: ms('HERALD_HTTP_KEEP_ALIVE_TIMEOUT_MS', defaults.keepAliveTimeoutMs),
    maxConnections: read.integer('HERALD_HTTP_MAX_CONNECTIONS', defaults.maxConnections, 1, 1_000_000),
  };
}

/** What `herald send` reads: where herald is and which key to call it with. */
export interface ClientEnvConfig {
  readonly url: string;
  readonly apiKey: string | undefined;
}

export function loadClientEnv(
  env: Env = process.env,
  onRead?: (variable: EnvVariable) => void,
): ClientEnvConfig {
  const problems: string[] = [];
  const read = new EnvReader(env, problems, onRead);
  const port = read.integer('HERALD_PORT', 8080, 0, 65_535);
  const config = {
    url: read.url('HERALD_URL', ['http:', 'https:'], `http://127.0.0.1:${port}`).replace(/\/+$/, ''),
    apiKey: read.optionalString('HERALD_API_KEY', 1) ?? read.optionalString('HERALD_BOOTSTRAP_API_KEY', 1),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** Every variable herald and its CLI read, with default and allowed values, in reading order. */
export function envVariables(): EnvVariable[] {
  const variables = new Map<string, EnvVariable>();
  const note = (variable: EnvVariable) => {
    if (!variables.has(variable.name)) variables.set(variable.name, variable);
  };
  try {
    loadEnvConfig({}, note);
  } catch (error) {
    // A variable required without a default fails an empty environment; its read was noted all the same.
    if (!(error instanceof ConfigError)) throw error;
  }
  loadClientEnv({}, note);
  return [...variables.values()];
}

/** The forms of HERALD_REDIS_URL that the Redis adapter takes (src/adapters/redis/redis-url.ts). */
const REDIS_URL_FORMS =
  'redis:// or rediss:// URL; several host:port separated by commas, or redis+cluster:// (rediss+cluster://), for a Redis Cluster';

export type { EnvVariable };

function readSesNotifications(read: EnvReader): EnvConfig['sesNotifications'] {
  const hosts = read.matching(
    'HERALD_SNS_CERT_HOSTS',
    /^[a-z0-9.-]+(,[a-z0-9.-]+)*$/,
    'comma-separated host names, e.g. sns.ap-northeast-2.amazonaws.com',
  );
  const topics = read.matching(
    'HERALD_SES_SNS_TOPIC_ARNS',
    /^arn:aws:sns:[^,\s]+(,arn:aws:sns:[^,\s]+)*$/,
    'comma-separated SNS topic ARNs (arn:aws:sns:region:account:name)',
  );
  return {
    certificateHosts: (hosts ?? 'sns.ap-northeast-2.amazonaws.com').split(','),
    ...(topics !== undefined && { topicArns: topics.split(',') }),
  };
}
