import type { Channel } from './channel.ts';
import type { Lane } from './lane.ts';

/**
 * Remote config: a versioned document in the config store that every process applies live,
 * without restart (routing weights, vendor time limits, lane concurrency, retry policy, client
 * rate limits). A vendor weight of 0 is the kill switch for that vendor. The range of every
 * number, with its unit, is in src/config/remote-config-bounds.ts.
 */
export interface VendorRoute {
  readonly vendor: string;
  readonly weight: number;
}

/** The Korean SMS/LMS/MMS, AlimTalk and VMS vendors' kinds. */
export const TEXT_VENDOR_KINDS = [
  'nhn-sms',
  'nhn-alimtalk',
  'sens-sms',
  'sens-alimtalk',
  'solapi-sms',
  'solapi-alimtalk',
  'solapi-vms',
] as const;
export type TextVendorKind = (typeof TEXT_VENDOR_KINDS)[number];

/**
 * What a vendor's adapter speaks: herald's simulator contract, FCM HTTP v1, APNs, or one of the
 * Korean text vendors' APIs (NHN Cloud SMS v3.0 and AlimTalk v2.3, NAVER Cloud SENS, SOLAPI v4), or
 * SMTP (an e-mail relay), or Amazon SES API v2 (an HTTP e-mail API).
 */
export const VENDOR_DEFINITION_KINDS = [
  'simulator',
  'fcm',
  'apns',
  ...TEXT_VENDOR_KINDS,
  'smtp',
  'ses',
] as const;
export type VendorDefinitionKind = (typeof VENDOR_DEFINITION_KINDS)[number];

/** An FCM or APNs vendor's `endpoint` meaning "the simulator this deployment runs" (in-process or `herald sim`). */
export const SIMULATOR_ENDPOINT = 'simulator';

/**
 * Where a secret is, never the secret itself: a file path, or the name of an environment variable
 * of the sending process. Exactly one of the two. Read at adapter construction
 * (src/config/vendor-secrets.ts), so the config store and GET /admin/config only ever hold the name.
 */
export interface SecretReference {
  readonly file?: string;
  readonly env?: string;
}

/** Time limit and breaker: what every vendor has, whatever it speaks. */
interface VendorPolicySettings {
  /** Hard time limit of one vendor call, ms. */
  readonly timeoutMs: number;
  /** Consecutive vendor faults that open the circuit (if >= 50% of the last 10 s failed too). */
  readonly breakerThreshold: number;
  /** How long an open circuit waits before letting one trial call through, ms. */
  readonly breakerHalfOpenAfterMs: number;
  /**
   * Messages a second the vendor's contract allows (a bulk call takes one per recipient), shared
   * by the worker processes of each lane. Absent: no limit.
   */
  readonly maxPerSecond?: number;
}

/** A vendor reached through the simulator's generic contract. No kind: a document of an older herald. */
export interface SimulatorVendorSettings extends VendorPolicySettings {
  readonly kind?: 'simulator';
}

/** FCM HTTP v1 with a service account. */
export interface FcmVendorSettings extends VendorPolicySettings {
  readonly kind: 'fcm';
  /** `simulator`, or the https origin of FCM (default https://fcm.googleapis.com). */
  readonly endpoint?: string;
  /** Default: the service account's project_id. */
  readonly projectId?: string;
  /** The service-account key JSON. Absent with endpoint `simulator`: the generated simulator account. */
  readonly credentials?: SecretReference;
}

export const APNS_ENVIRONMENTS = ['production', 'sandbox'] as const;
export type ApnsEnvironment = (typeof APNS_ENVIRONMENTS)[number];

/** APNs with a provider token (ES256 .p8 key). */
export interface ApnsVendorSettings extends VendorPolicySettings {
  readonly kind: 'apns';
  /** Which APNs host (and which device tokens: a sandbox token is unknown in production). */
  readonly environment: ApnsEnvironment;
  /** `simulator`, or the https origin of APNs (default: the environment's Apple host). */
  readonly endpoint?: string;
  /** The key's 10-character id, team id, and the .p8 key: absent with endpoint `simulator` (the generated key). */
  readonly keyId?: string;
  readonly teamId?: string;
  readonly key?: SecretReference;
  /** apns-topic when the message's app gives none (default: the app's bundle id). */
  readonly topic?: string;
}

/**
 * A Korean text vendor: an account id that is no secret on its own (NHN appKey, SENS access key id,
 * SOLAPI API key), the secret it signs or authenticates with (NHN X-Secret-Key, SENS secret key,
 * SOLAPI API secret) by reference (`credentials`), and for SENS the project's service id. With endpoint `simulator`
 * all three are left out: the adapter uses the simulator's generated account.
 */
export interface TextVendorSettings extends VendorPolicySettings {
  readonly kind: TextVendorKind;
  /** `simulator`, or the https origin of the vendor's API (default: the kind's public origin). */
  readonly endpoint?: string;
  /** NHN appKey, SENS access key id, SOLAPI API key. */
  readonly accountId?: string;
  /** Where the NHN secret key, SENS secret key or SOLAPI API secret is (a file or env var, its text). */
  readonly credentials?: SecretReference;
  /** SENS only: the service id of the SMS or AlimTalk project (ncp:sms:kr:...). */
  readonly serviceId?: string;
}

export const SMTP_TLS_MODES = ['starttls', 'implicit'] as const;
/** `starttls`: plain connection upgraded by STARTTLS, required (port 587); `implicit`: TLS from the start (465). */
export type SmtpTlsMode = (typeof SMTP_TLS_MODES)[number];

/**
 * An SMTP relay (src/vendors/smtp): host, port, TLS mode, and AUTH with `user` and the password by
 * reference (`credentials`). With endpoint `simulator` host, port, user and credentials are left
 * out: the adapter uses the simulator's SMTP port and its generated account.
 */
export interface SmtpVendorSettings extends VendorPolicySettings {
  readonly kind: 'smtp';
  /** `simulator`; absent for a real relay at `host`. */
  readonly endpoint?: string;
  readonly host?: string;
  /** Default: 587 with starttls, 465 with implicit. */
  readonly port?: number;
  /** Default starttls. */
  readonly tls?: SmtpTlsMode;
  readonly user?: string;
  /** Where the AUTH password is (a file or env var, its text). */
  readonly credentials?: SecretReference;
  /**
   * Where the CA certificates (PEM) the relay's certificate must chain to are, instead of Node's
   * bundled roots: a relay with a certificate of a private CA. A file or env var, like a secret.
   */
  readonly tlsCa?: SecretReference;
  /** From address of a message that names none, e.g. `herald <no-reply@example.com>`. */
  readonly from?: string;
  /** Right-hand side of the Message-ID (`<messageId@domain>`); default herald.local. */
  readonly messageIdDomain?: string;
  /** DKIM-sign every message; absent: unsigned (the relay may sign). */
  readonly dkim?: SmtpDkimSettings;
}

/** DKIM signing of an smtp vendor: the key's TXT record is `<keySelector>._domainkey.<domainName>`. */
export interface SmtpDkimSettings {
  /** The signing domain (d=), e.g. example.com. */
  readonly domainName: string;
  /** The selector (s=), e.g. herald2026. */
  readonly keySelector: string;
  /** Where the RSA private key (PEM) is: a file or env var, never the key itself. */
  readonly privateKey: SecretReference;
}

/**
 * Amazon SES API v2 (src/vendors/ses): `SendEmail` through the AWS SDK, SigV4-signed with an IAM
 * access key (`accountId`) and its secret by reference (`credentials`). With endpoint `simulator`
 * region, accountId and credentials are left out: the adapter uses the simulator's generated key.
 */
export interface SesVendorSettings extends VendorPolicySettings {
  readonly kind: 'ses';
  /** `simulator`, or an https origin; default SES' regional endpoint `https://email.<region>.amazonaws.com`. */
  readonly endpoint?: string;
  /** The AWS region of the SES account, e.g. ap-northeast-2; required for a real endpoint. */
  readonly region?: string;
  /** The IAM access key id (AKIA...). */
  readonly accountId?: string;
  /** Where the secret access key is (a file or env var, its text). */
  readonly credentials?: SecretReference;
  /** FromEmailAddress of a message that names none; an identity verified in SES. */
  readonly from?: string;
  /** The SES configuration set (event destinations, IP pool); none by default. */
  readonly configurationSet?: string;
}

/** One vendor of the deployment: its time limit and breaker, and what its adapter is built from. */
export type VendorSettings =
  | SimulatorVendorSettings
  | FcmVendorSettings
  | ApnsVendorSettings
  | TextVendorSettings
  | SmtpVendorSettings
  | SesVendorSettings;

export interface LaneSettings {
  /** Records fetched per poll. */
  readonly batchSize: number;
  /** Records taken but not finished; at the limit the worker stops fetching (backpressure). */
  readonly maxInFlight: number;
  /** Concurrent metadata lookups (templates, tokens). */
  readonly metadataConcurrency: number;
  /** Concurrent vendor calls. */
  readonly sendConcurrency: number;
  /**
   * Batch and ad lanes: send messages in bulk vendor calls where the vendor's wire allows (NHN
   * recipientList, SENS messages, SOLAPI send-many), each message keeping its own result. Never on
   * the realtime lane, whose messages go one call each. Absent (an older document): off.
   */
  readonly bulkVendorCalls?: boolean;
}

export interface RetrySettings {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** After this many attempts a retryable failure ends as `failed`. */
  readonly maxAttempts: number;
}

export interface DedupSettings {
  /** How long a sent message key is remembered, ms. */
  readonly windowMs: number;
  /** How long a reservation lives before it lapses (crashed owner), ms. Above every vendor timeout. */
  readonly reserveTtlMs: number;
}

/** The burst allowance of a client rate limit is counted over windows of this many seconds. */
export const BURST_WINDOW_SECONDS = 10;

/**
 * What one client may send. Each limit is a per-second allowance plus a burst: calls beyond the
 * per-second rate are admitted while the burst lasts, at most `...Burst` of them in any 10 s.
 */
export interface ClientRateLimit {
  /** API calls per second (every /v1 route). */
  readonly requestsPerSecond: number;
  readonly requestBurst: number;
  /** Recipients per second over all of the client's POST /v1/messages. */
  readonly recipientsPerSecond: number;
  readonly recipientBurst: number;
}

/** Throttling of failed authentication, per source address. */
export interface FailedAuthLimit {
  /** Failed authentications from one address within `windowSeconds` before it is refused. */
  readonly maxFailures: number;
  readonly windowSeconds: number;
  /** How long the address is then refused (429), whatever key it sends. */
  readonly blockSeconds: number;
}

export interface RateLimitSettings {
  /** Limits of every client without an entry in `clients`. */
  readonly default: ClientRateLimit;
  /** Limits of named clients (by client id), replacing the default for them. */
  readonly clients?: Readonly<Record<string, ClientRateLimit>>;
  readonly failedAuth: FailedAuthLimit;
}

export interface RemoteConfigDocument {
  readonly routing: Readonly<Record<Channel, readonly VendorRoute[]>>;
  readonly vendors: Readonly<Record<string, VendorSettings>>;
  readonly lanes: Readonly<Record<Lane, LaneSettings>>;
  readonly retry: RetrySettings;
  readonly dedup: DedupSettings;
  /** When false, an SMS over 90 bytes is rejected instead of upgraded to LMS. */
  readonly smsAutoUpgrade: boolean;
  /** Default expiry of a message when the request gives none, seconds. */
  readonly defaultExpiresInSeconds: number;
  /**
   * Per-client rate limits. Optional so that a document stored by an older herald stays valid:
   * without it, the built-in DEFAULT_RATE_LIMITS apply.
   */
  readonly rateLimits?: RateLimitSettings;
  /**
   * Status callbacks to clients (docs/callbacks.md): where callback URLs may point, and how the
   * callbacks worker batches, retries and pauses. Optional: without it nothing is allowed and the
   * defaults of core/callbacks/callback-settings.ts apply.
   */
  readonly callbacks?: CallbackSettings;
}

/** Every field but `allow` optional: the defaults are in core/callbacks/callback-settings.ts. */
export interface CallbackSettings {
  /**
   * Where callback URLs may point: host names (`hooks.example.com`, or `*.example.com` for its
   * subdomains) and IP addresses or networks (`203.0.113.0/24`). Loopback, private, link-local and
   * cloud metadata addresses are refused unless a network listed here holds them.
   */
  readonly allow: readonly string[];
  /** Hosts (as in the URL) whose callback URL may be plain http: tests and local receivers only. */
  readonly allowHttp?: readonly string[];
  /** Hard time limit of one POST, ms. */
  readonly timeoutMs?: number;
  /** Most events in one POST. */
  readonly batchSize?: number;
  /** First retry delay, ms; doubles per attempt up to retryMaxDelayMs. */
  readonly retryBaseDelayMs?: number;
  readonly retryMaxDelayMs?: number;
  /** How long an event is retried before it is given up (kept on herald.callbacks.dead), ms. */
  readonly giveUpAfterMs?: number;
  /** How long a receiver may fail without a success before it is paused, ms. */
  readonly pauseAfterMs?: number;
  /** How often the events kept for a paused receiver look whether it was resumed, ms. */
  readonly pausedRecheckMs?: number;
}

export interface RemoteConfig {
  readonly version: number;
  readonly updatedAt: number;
  readonly document: RemoteConfigDocument;
}
