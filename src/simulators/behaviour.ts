import { sesErrorsOf } from './ses/ses-answers.ts';
import { smtpErrorsOf } from './smtp/smtp-replies.ts';
import { textErrorsOf } from './text/text-error-catalogues.ts';
import { ERROR_CATALOGUES, type SimulatedError, vendorKindOf } from './vendor-error-catalogue.ts';

/**
 * How long a simulated vendor takes to answer. The body of the distribution is log-normal, fitted
 * so that its median is `medianMs` and its 99th percentile `p99Ms` (real service latencies are
 * right-skewed, and log-normal is the usual fit). On top, a rare `outlierShare` of calls takes a
 * fixed `outlierMs`: the multi-second stalls a vendor has under GC or a failover, which no smooth
 * distribution produces. With outliers above 1%, the overall p99 is the outlier delay, by design.
 */
export interface LatencyDistribution {
  readonly medianMs: number;
  readonly p99Ms: number;
  /** 0..1 */
  readonly outlierShare: number;
  readonly outlierMs: number;
}

/**
 * Everything a simulated vendor does apart from its wire format. Shares are of all calls: a call
 * hangs with `hangShare`, fails with `errorShare`, and succeeds otherwise.
 */
export interface Behaviour {
  readonly latency: LatencyDistribution;
  /** 0..1, share of calls answered with one of `errors`. */
  readonly errorShare: number;
  /** The errors to choose from, by weight; defaults to the vendor kind's catalogue. */
  readonly errors: readonly SimulatedError[];
  /** 0..1, share of calls never answered (until the client gives up or the server closes). */
  readonly hangShare: number;
  /** Token bucket refilled at this rate with a burst of one second; null means no limit. */
  readonly rateLimitPerSecond: number | null;
  /** Whether a repeated Idempotency-Key is answered with the first result instead of a new delivery. */
  readonly honoursIdempotencyKey: boolean;
}

/** A change to a behaviour: any top-level field, and any field of `latency` on its own. */
export interface BehaviourPatch extends Partial<Omit<Behaviour, 'latency'>> {
  readonly latency?: Partial<LatencyDistribution>;
}

/** Thrown for an invalid behaviour, with every violation listed (not just the first). */
export class BehaviourError extends Error {
  readonly violations: readonly string[];

  constructor(vendorId: string, violations: readonly string[]) {
    super(`Invalid behaviour for vendor ${vendorId}: ${violations.join('; ')}`);
    this.name = 'BehaviourError';
    this.violations = violations;
  }
}

/** Zero latency and no faults: what tests want unless they ask for more. */
export const DEFAULT_LATENCY: LatencyDistribution = Object.freeze({
  medianMs: 0,
  p99Ms: 0,
  outlierShare: 0,
  outlierMs: 5_000,
});

export function defaultBehaviourFor(vendorId: string): Behaviour {
  return Object.freeze({
    latency: DEFAULT_LATENCY,
    errorShare: 0,
    errors:
      textErrorsOf(vendorId) ??
      smtpErrorsOf(vendorId) ??
      sesErrorsOf(vendorId) ??
      ERROR_CATALOGUES[vendorKindOf(vendorId)],
    hangShare: 0,
    rateLimitPerSecond: null,
    honoursIdempotencyKey: true,
  });
}

/**
 * Applies a patch (typed, or untrusted JSON from the control API) to a behaviour, validates the
 * result as a whole and returns it frozen. Throws BehaviourError listing every violation.
 */
export function applyBehaviourPatch(vendorId: string, base: Behaviour, patch: unknown): Behaviour {
  if (!isRecord(patch)) throw new BehaviourError(vendorId, ['the patch must be a JSON object']);
  const violations = unknownKeys(patch, BEHAVIOUR_KEYS, '');
  const latencyPatch = patch.latency === undefined ? {} : patch.latency;
  if (isRecord(latencyPatch)) violations.push(...unknownKeys(latencyPatch, LATENCY_KEYS, 'latency.'));
  else violations.push('latency must be an object');
  const candidate = {
    ...base,
    ...patch,
    latency: { ...base.latency, ...(isRecord(latencyPatch) ? latencyPatch : {}) },
  };
  violations.push(...behaviourViolations(candidate));
  if (violations.length > 0) throw new BehaviourError(vendorId, violations);
  return freezeBehaviour(candidate as Behaviour);
}

const BEHAVIOUR_KEYS: ReadonlySet<string> = new Set([
  'latency',
  'errorShare',
  'errors',
  'hangShare',
  'rateLimitPerSecond',
  'honoursIdempotencyKey',
]);
const LATENCY_KEYS: ReadonlySet<string> = new Set(['medianMs', 'p99Ms', 'outlierShare', 'outlierMs']);

function behaviourViolations(candidate: Record<string, unknown> & { latency: Record<string, unknown> }) {
  const { latency } = candidate;
  const violations = [
    ...nonNegative('latency.medianMs', latency.medianMs),
    ...nonNegative('latency.p99Ms', latency.p99Ms),
    ...share('latency.outlierShare', latency.outlierShare),
    ...nonNegative('latency.outlierMs', latency.outlierMs),
    ...share('errorShare', candidate.errorShare),
    ...share('hangShare', candidate.hangShare),
    ...errorListViolations(candidate.errors),
  ];
  if (isFiniteNumber(latency.medianMs) && isFiniteNumber(latency.p99Ms) && latency.p99Ms < latency.medianMs) {
    violations.push('latency.p99Ms must not be below latency.medianMs');
  }
  const { errorShare, hangShare, errors } = candidate;
  if (isShare(errorShare) && isShare(hangShare) && errorShare + hangShare > 1) {
    violations.push('errorShare + hangShare must not exceed 1');
  }
  if (isFiniteNumber(errorShare) && errorShare > 0 && Array.isArray(errors) && errors.length === 0) {
    violations.push('errors must not be empty while errorShare > 0');
  }
  const limit = candidate.rateLimitPerSecond;
  if (limit !== null && !(isFiniteNumber(limit) && limit > 0)) {
    violations.push('rateLimitPerSecond must be a positive number or null');
  }
  if (typeof candidate.honoursIdempotencyKey !== 'boolean') {
    violations.push('honoursIdempotencyKey must be a boolean');
  }
  return violations;
}

function errorListViolations(errors: unknown): string[] {
  if (!Array.isArray(errors)) return ['errors must be an array'];
  return errors.flatMap((error: unknown, index) => {
    const at = `errors[${index}]`;
    if (!isRecord(error)) return [`${at} must be an object`];
    const found: string[] = [];
    const { status, code, weight } = error;
    if (!Number.isInteger(status) || (status as number) < 400 || (status as number) > 599 || status === 429) {
      found.push(
        `${at}.status must be an integer 400..599 other than 429 (rate limiting is rateLimitPerSecond)`,
      );
    }
    if (typeof code !== 'string' || code.length === 0) found.push(`${at}.code must be a non-empty string`);
    if (!isFiniteNumber(weight) || weight <= 0) found.push(`${at}.weight must be a positive number`);
    return found;
  });
}

function freezeBehaviour(behaviour: Behaviour): Behaviour {
  return Object.freeze({
    ...behaviour,
    latency: Object.freeze({ ...behaviour.latency }),
    errors: Object.freeze(behaviour.errors.map((error) => Object.freeze({ ...error }))),
  });
}

function unknownKeys(record: Record<string, unknown>, known: ReadonlySet<string>, prefix: string): string[] {
  return Object.keys(record)
    .filter((key) => !known.has(key))
    .map((key) => `${prefix}${key} is not a behaviour field`);
}

function nonNegative(name: string, value: unknown): string[] {
  return isFiniteNumber(value) && value >= 0 ? [] : [`${name} must be a number >= 0`];
}

function share(name: string, value: unknown): string[] {
  return isShare(value) ? [] : [`${name} must be a number in 0..1`];
}

function isShare(value: unknown): value is number {
  return isFiniteNumber(value) && value >= 0 && value <= 1;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
