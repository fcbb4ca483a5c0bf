import type { Channel } from '../core/domain/channel.ts';
import type { PushProvider } from '../core/domain/push-provider.ts';
import {
  type ApnsVendorSettings,
  type FcmVendorSettings,
  type RateLimitSettings,
  type RemoteConfigDocument,
  type SesVendorSettings,
  SIMULATOR_ENDPOINT,
  type SimulatorVendorSettings,
  type SmtpVendorSettings,
  type TextVendorKind,
  type TextVendorSettings,
} from '../core/domain/remote-config.ts';
import type { VendorCatalogue } from '../ports/vendor.ts';

const policy = { timeoutMs: 5_000, breakerThreshold: 5, breakerHalfOpenAfterMs: 10_000 };
const simulatorVendor: SimulatorVendorSettings = { kind: 'simulator', ...policy };
/** The real FCM adapter, sending to the simulator with its generated service account. */
const fcmAtSimulator: FcmVendorSettings = { kind: 'fcm', ...policy, endpoint: SIMULATOR_ENDPOINT };
/** The real APNs adapter, sending to the simulator with its generated .p8 key. */
const apnsAtSimulator: ApnsVendorSettings = {
  kind: 'apns',
  ...policy,
  endpoint: SIMULATOR_ENDPOINT,
  environment: 'sandbox',
};

/** The real SMTP adapter, sending to the simulator's SMTP server with its generated account. */
const smtpAtSimulator: SmtpVendorSettings = { kind: 'smtp', ...policy, endpoint: SIMULATOR_ENDPOINT };

/** The real SES v2 adapter (AWS SDK), sending to the simulator's SES API with its generated access key. */
const sesAtSimulator: SesVendorSettings = { kind: 'ses', ...policy, endpoint: SIMULATOR_ENDPOINT };

/** A Korean text vendor's real adapter, sending to the simulator with its generated account. */
function textAtSimulator(kind: TextVendorKind): TextVendorSettings {
  return { kind, ...policy, endpoint: SIMULATOR_ENDPOINT };
}

/** SMS, LMS and MMS through the three vendors the talk keeps, 50/30/20. */
const TEXT_ROUTES = [
  { vendor: 'nhn-sms', weight: 50 },
  { vendor: 'sens-sms', weight: 30 },
  { vendor: 'solapi-sms', weight: 20 },
] as const;

/**
 * Limits of a client the remote config does not name (and of every client while the stored
 * document has no rateLimits, as one written by an older herald). Sized against one node of the
 * embedded default on two cores, whose realtime lane sends 1,000-2,000 messages a second with the
 * API, the simulators and the stores in the same process: one client at 1,000 recipients/s (plus
 * 2,000 per 10 s in bursts) leaves the lane to the others, while 100-recipient requests ten times a
 * second pass untouched. Raise them per client in `clients`, or the default for a larger
 * deployment. Failed authentication: 20 failures a minute from one address, then 5 minutes of 429.
 */
export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  default: { requestsPerSecond: 50, requestBurst: 100, recipientsPerSecond: 1_000, recipientBurst: 2_000 },
  clients: {},
  failedAuth: { maxFailures: 20, windowSeconds: 60, blockSeconds: 300 },
};

/**
 * The remote config herald stores on first start of the embedded default. Three vendors for
 * sms/lms/mms and AlimTalk with the talk's triple redundancy (weights 50/30/20), at least one for
 * every other channel. Push goes through the real FCM and APNs adapters pointed at the simulator
 * (its generated credentials, HERALD_SIMULATOR_CREDENTIALS_DIR), so the code that talks to Google
 * and Apple runs everywhere; SMS/LMS/MMS and AlimTalk likewise through the real NHN Cloud, NAVER
 * Cloud SENS and SOLAPI adapters, VMS through the real SOLAPI voice adapter (solapi-vms); e-mail
 * through the real SMTP adapter at the simulator's SMTP server (80) and the real SES v2 adapter at
 * the simulator's SES API (20). The generic e-mail simulator (sim-email) stays defined, unrouted.
 */
export const DEFAULT_REMOTE_CONFIG: RemoteConfigDocument = {
  routing: {
    // FCM and APNs tokens never cross (routing is per provider), so these weights only matter
    // against a second vendor of the same provider (fcm-b, apns-b: another project or key).
    push: [
      { vendor: 'fcm', weight: 100 },
      { vendor: 'apns', weight: 100 },
    ],
    sms: TEXT_ROUTES,
    lms: TEXT_ROUTES,
    mms: TEXT_ROUTES,
    alimtalk: [
      { vendor: 'nhn-alimtalk', weight: 50 },
      { vendor: 'sens-alimtalk', weight: 30 },
      { vendor: 'solapi-alimtalk', weight: 20 },
    ],
    // The SMTP relay first; the SES API takes a share and the failover when the relay fails (its
    // breaker opens, or a message fails there): two protocols, two vendors.
    email: [
      { vendor: 'smtp', weight: 80 },
      { vendor: 'ses', weight: 20 },
    ],
    vms: [{ vendor: 'solapi-vms', weight: 100 }],
  },
  vendors: {
    fcm: fcmAtSimulator,
    'fcm-b': fcmAtSimulator,
    apns: apnsAtSimulator,
    'apns-b': apnsAtSimulator,
    'nhn-sms': textAtSimulator('nhn-sms'),
    'sens-sms': textAtSimulator('sens-sms'),
    'solapi-sms': textAtSimulator('solapi-sms'),
    'nhn-alimtalk': textAtSimulator('nhn-alimtalk'),
    'sens-alimtalk': textAtSimulator('sens-alimtalk'),
    'solapi-alimtalk': textAtSimulator('solapi-alimtalk'),
    'solapi-vms': textAtSimulator('solapi-vms'),
    smtp: smtpAtSimulator,
    ses: sesAtSimulator,
    'sim-email': simulatorVendor,
  },
  lanes: {
    realtime: { batchSize: 100, maxInFlight: 1_000, metadataConcurrency: 16, sendConcurrency: 200 },
    // Bulk throughput: at a 50 ms vendor, 200 calls in flight capped the lane at ~1,900 msgs/s
    // (bench pipelineVsNaive); 500 fits the 256 connections of the busiest vendor at weight 50.
    batch: {
      batchSize: 100,
      maxInFlight: 4_000,
      metadataConcurrency: 8,
      sendConcurrency: 500,
      bulkVendorCalls: true,
    },
    ad: {
      batchSize: 100,
      maxInFlight: 1_000,
      metadataConcurrency: 8,
      sendConcurrency: 100,
      bulkVendorCalls: true,
    },
  },
  retry: { baseDelayMs: 1_000, maxDelayMs: 60_000, maxAttempts: 8 },
  dedup: { windowMs: 24 * 60 * 60 * 1_000, reserveTtlMs: 30_000 },
  smsAutoUpgrade: true,
  defaultExpiresInSeconds: 24 * 60 * 60,
  rateLimits: DEFAULT_RATE_LIMITS,
};

/** Which channels each simulator vendor serves. */
export const SIMULATOR_VENDOR_CHANNELS = {
  fcm: ['push'],
  'fcm-b': ['push'],
  apns: ['push'],
  'apns-b': ['push'],
  'nhn-sms': ['sms', 'lms', 'mms'],
  'sens-sms': ['sms', 'lms', 'mms'],
  'solapi-sms': ['sms', 'lms', 'mms'],
  'nhn-alimtalk': ['alimtalk'],
  'sens-alimtalk': ['alimtalk'],
  'solapi-alimtalk': ['alimtalk'],
  'solapi-vms': ['vms'],
  smtp: ['email'],
  ses: ['email'],
  'sim-email': ['email'],
} as const;

/** The simulators as a deployment's vendor catalogue (what the remote config may route to). */
export const SIMULATOR_VENDORS: VendorCatalogue = new Map(
  Object.entries(SIMULATOR_VENDOR_CHANNELS).map(([id, channels]) => [id, channels as readonly Channel[]]),
);

/**
 * The push service each simulator push vendor speaks for: the simulator answers fcm and fcm-b with
 * FCM's contract (two projects), apns and apns-b with APNs' (two keys).
 */
export const SIMULATOR_PUSH_PROVIDERS: Readonly<Record<string, PushProvider>> = {
  fcm: 'fcm',
  'fcm-b': 'fcm',
  apns: 'apns',
  'apns-b': 'apns',
};
