import { BURST_WINDOW_SECONDS } from '../core/domain/remote-config.ts';

/**
 * Every number of the remote config, with its unit and the range herald accepts: the one place
 * these live. The PUT schema (and so the OpenAPI document) is built from this table, and the same
 * schema guards what a worker applies from the store, so a value outside it never reaches a timer,
 * a pool or a breaker.
 *
 * Why ranges at all: each field feeds something that breaks silently past a point. Node clamps a
 * timer above MAX_TIMER_MS to 1 ms (a 3e9 ms time limit made every vendor call "time out" at
 * once); an unbounded pool or in-flight limit lets one batch take the process's memory and every
 * connection. The maxima below are far under MAX_TIMER_MS: each is the largest value that still
 * makes sense for a message platform, and each says why.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export interface Bound {
  readonly min: number;
  readonly max: number;
  readonly unit: string;
  /** Why the range is what it is, for the schema description and the reader. */
  readonly why: string;
}

const SECOND_MS = 1_000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

export const REMOTE_CONFIG_BOUNDS = {
  routesPerChannel: {
    min: 1,
    max: 16,
    unit: 'vendors',
    why: 'every channel must be routed; the talk ran three vendors per channel',
  },
  vendorWeight: {
    min: 0,
    max: 1_000_000,
    unit: 'share',
    why: '0 switches the vendor off; shares are relative, so a million is more resolution than anyone needs',
  },
  vendors: {
    min: 1,
    max: 256,
    unit: 'vendors',
    why: 'settings for every vendor this deployment can route to',
  },
  timeoutMs: {
    min: SECOND_MS,
    max: MINUTE_MS,
    unit: 'ms',
    why:
      'below 1 s the ordinary latency outliers of a healthy vendor would count as faults and open its ' +
      'breaker; above 60 s a hung vendor holds send slots longer than any message is worth waiting for',
  },
  breakerThreshold: {
    min: 1,
    max: 1_000,
    unit: 'faults',
    why: 'beyond 1,000 consecutive faults the breaker would never open in practice',
  },
  breakerHalfOpenAfterMs: {
    min: SECOND_MS,
    max: 10 * MINUTE_MS,
    unit: 'ms',
    why: 'a trial call more often than every second hammers a failing vendor; after 10 min a recovered vendor has idled long enough',
  },
  maxPerSecond: {
    min: 1,
    max: 100_000,
    unit: 'messages/s',
    why:
      "what the vendor's contract allows, shared by the worker processes of a lane; a bulk call takes " +
      'one per recipient. Absent: no limit. Beyond 100,000/s no vendor contract applies',
  },
  batchSize: {
    min: 1,
    max: 1_000,
    unit: 'records',
    why: 'one poll is one dedup round trip and one history batch; larger only lengthens each of them',
  },
  maxInFlight: {
    min: 1,
    max: 20_000,
    unit: 'records',
    why: 'records held in memory per lane; 1e9 took every record at once, doubled the RSS and timed out 13,391 calls',
  },
  metadataConcurrency: {
    min: 1,
    max: 256,
    unit: 'lookups',
    why: 'template and token lookups hit the config store, whose pool is far smaller',
  },
  sendConcurrency: {
    min: 1,
    max: 1_000,
    unit: 'calls',
    why: 'calls beyond the vendor connection pools (256 per vendor) only queue, and queueing counts against the time limit',
  },
  retryBaseDelayMs: {
    min: 100,
    max: 10 * MINUTE_MS,
    unit: 'ms',
    why: 'a retry sooner than 100 ms hammers a failing vendor; the first retry later than 10 min is no retry policy',
  },
  retryMaxDelayMs: {
    min: 100,
    max: HOUR_MS,
    unit: 'ms',
    why: 'a message waiting more than an hour between two attempts is better expired and reported',
  },
  retryMaxAttempts: {
    min: 1,
    max: 100,
    unit: 'attempts',
    why: 'the expiry ends a message long before 100 attempts',
  },
  dedupWindowMs: {
    min: MINUTE_MS,
    max: 7 * DAY_MS,
    unit: 'ms',
    why: 'under a minute a redelivery after a rebalance could send twice; a week of keys is what dedup sizing plans for at most',
  },
  dedupReserveTtlMs: {
    min: 2 * SECOND_MS,
    max: 10 * MINUTE_MS,
    unit: 'ms',
    why: 'must outlive every vendor time limit (at least 1 s); a crashed owner blocks its messages this long',
  },
  defaultExpiresInSeconds: {
    min: 60,
    max: 7 * 24 * 60 * 60,
    unit: 's',
    why: 'under a minute leaves no room for one retry; a message not sent within a week is stale (a request may still ask for longer itself)',
  },
  requestsPerSecond: {
    min: 1,
    max: 100_000,
    unit: 'requests/s',
    why: 'API calls one client may make per second (all of /v1)',
  },
  requestBurst: {
    min: 0,
    max: 1_000_000,
    unit: `requests per ${BURST_WINDOW_SECONDS} s`,
    why: 'calls a client may make beyond its per-second rate',
  },
  recipientsPerSecond: {
    min: 100,
    max: 1_000_000,
    unit: 'recipients/s',
    why: 'one request may carry 100 recipients: below that a full request could never be admitted',
  },
  recipientBurst: {
    min: 0,
    max: 10_000_000,
    unit: `recipients per ${BURST_WINDOW_SECONDS} s`,
    why: 'recipients a client may send beyond its per-second rate',
  },
  rateLimitClients: {
    min: 0,
    max: 10_000,
    unit: 'clients',
    why: 'one entry per client with its own limits',
  },
  failedAuthMaxFailures: {
    min: 1,
    max: 10_000,
    unit: 'failures',
    why: 'failed authentications from one address within the window before it is refused',
  },
  failedAuthWindowSeconds: {
    min: 1,
    max: 3_600,
    unit: 's',
    why: 'the window failures are counted in',
  },
  failedAuthBlockSeconds: {
    min: 1,
    max: 86_400,
    unit: 's',
    why: 'how long an address that failed too often is refused; a day at most',
  },
  callbackTimeoutMs: {
    min: 100,
    max: MINUTE_MS,
    unit: 'ms',
    why: 'a receiver that takes longer than a minute to take a batch is failing',
  },
  callbackBatchSize: {
    min: 1,
    max: 1_000,
    unit: 'events',
    why: 'one POST body stays well under a megabyte',
  },
  callbackRetryBaseDelayMs: {
    min: 10,
    max: HOUR_MS,
    unit: 'ms',
    why: 'the first retry of a failed callback batch; doubles per attempt',
  },
  callbackRetryMaxDelayMs: {
    min: 10,
    max: DAY_MS,
    unit: 'ms',
    why: 'the longest wait between two attempts of a callback batch',
  },
  callbackGiveUpAfterMs: {
    min: SECOND_MS,
    max: 7 * DAY_MS,
    unit: 'ms',
    why: 'how long a callback is retried before it is kept on herald.callbacks.dead; a week at most',
  },
  callbackPauseAfterMs: {
    min: 0,
    max: 7 * DAY_MS,
    unit: 'ms',
    why: 'how long a receiver may fail without a success before it is paused',
  },
  callbackPausedRecheckMs: {
    min: 10,
    max: HOUR_MS,
    unit: 'ms',
    why: 'how often events kept for a paused receiver look for a resume',
  },
} as const satisfies Record<string, Bound>;

export type BoundName = keyof typeof REMOTE_CONFIG_BOUNDS;
