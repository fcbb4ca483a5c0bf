import type { IdempotencyClaim } from '../../ports/idempotency-store.ts';
import { HeraldError } from '../domain/errors.ts';
import { fingerprintRequest, idempotencyRecordKey } from '../identity/idempotency-identity.ts';
import type { SubmissionContext, SubmissionRequest, SubmissionResult } from './submission-types.ts';
import { submitMessages } from './submit-messages.ts';

/** A submission's answer, and whether it is the stored answer of an earlier request with the same key. */
export interface IdempotentSubmission {
  readonly result: SubmissionResult;
  readonly replayed: boolean;
}

/** What a concurrent replay is told to wait: an accept takes milliseconds, a slow broker seconds. */
const IN_PROGRESS_RETRY_AFTER_MS = 1_000;

/**
 * The Idempotency-Key, as the IETF httpapi draft (draft-ietf-httpapi-idempotency-key-header) and
 * Stripe's idempotent requests describe it. Without a key every request is new. With one (per
 * client, for the dedup window of the remote config):
 * - first time: the key is claimed (in progress, for a lease of `dedup.reserveTtlMs`), the
 *   request is submitted, and its answer is stored with the key;
 * - the same body again: the stored answer, unchanged (same requestId, same message ids);
 * - another body: 422 HERALD_IDEMPOTENCY_KEY_REUSED, whatever state the key is in;
 * - the same body while the first is still being accepted: 409 HERALD_IDEMPOTENCY_IN_PROGRESS.
 *
 * Only accepted requests (202) are stored. A request refused (4xx: nothing was accepted, like
 * Stripe's failed validation) or answered 503 (nothing was queued) releases the key, so the
 * client's corrected or later retry goes through. A conflict (409, 422) stores nothing either.
 *
 * When the idempotency store cannot be reached the request is accepted without a record (fail-open,
 * counted and logged, like the dedup store): sending goes on while Redis is down. A replay is then
 * accepted again under a new requestId, but its message keys are scoped by the same Idempotency-Key,
 * so the worker's dedup store answers each recipient `duplicate` instead of sending twice. Only with
 * the dedup store down as well (the same Redis) can a replay reach a vendor again, and a vendor that
 * honours idempotency keys still stops it. Failing closed (503 for every keyed request) would stop
 * the clients most careful about retries from sending at all during the outage.
 */
export async function submitIdempotently(
  context: SubmissionContext,
  request: SubmissionRequest,
): Promise<IdempotentSubmission> {
  if (request.idempotencyKey === undefined) {
    return { result: await submitMessages(context, request), replayed: false };
  }
  const { dedup } = context.config();
  const recordKey = idempotencyRecordKey(request.clientId, request.idempotencyKey);
  const fingerprint = fingerprintRequest(request);
  const claim = await claimOrFailOpen(context, recordKey, fingerprint, dedup.reserveTtlMs);
  if (claim?.state === 'completed' || claim?.state === 'in-progress') {
    return { result: storedAnswer(claim, fingerprint, dedup.windowMs), replayed: true };
  }
  let result: SubmissionResult;
  try {
    result = await submitMessages(context, request);
  } catch (error) {
    if (claim) await releaseQuietly(context, recordKey, claim.token);
    throw error;
  }
  if (claim)
    await completeOrFailOpen(context, recordKey, claim.token, { fingerprint, result }, dedup.windowMs);
  return { result, replayed: false };
}

function storedAnswer(
  claim: Exclude<IdempotencyClaim, { state: 'claimed' }>,
  fingerprint: string,
  windowMs: number,
): SubmissionResult {
  if (claim.fingerprint !== fingerprint) {
    throw new HeraldError(
      'HERALD_IDEMPOTENCY_KEY_REUSED',
      `header idempotency-key was used in the last ${describeWindow(windowMs)} for a request with another ` +
        'body; send a new key for a new request, or the same body to get the first answer back',
      { field: 'idempotency-key' },
    );
  }
  if (claim.state === 'in-progress') {
    throw new HeraldError(
      'HERALD_IDEMPOTENCY_IN_PROGRESS',
      'a request with this idempotency-key is still being accepted; retry after Retry-After to get its answer',
      { field: 'idempotency-key', retryable: true, retryAfterMs: IN_PROGRESS_RETRY_AFTER_MS },
    );
  }
  return JSON.parse(claim.answer) as SubmissionResult;
}

async function claimOrFailOpen(
  context: SubmissionContext,
  recordKey: string,
  fingerprint: string,
  leaseMs: number,
): Promise<IdempotencyClaim | undefined> {
  try {
    return await context.idempotency.claim(recordKey, fingerprint, leaseMs);
  } catch (error) {
    context.countIdempotencyFailOpen?.();
    context.logger?.warn(
      { err: error },
      'idempotency store unreachable; accepting the request without its idempotency record',
    );
    return undefined;
  }
}

/** A record that cannot be stored leaves the claim to lapse: replays get 409 until then, then go through. */
async function completeOrFailOpen(
  context: SubmissionContext,
  recordKey: string,
  token: string,
  accepted: { fingerprint: string; result: SubmissionResult },
  windowMs: number,
): Promise<void> {
  const record = { fingerprint: accepted.fingerprint, answer: JSON.stringify(accepted.result) };
  try {
    await context.idempotency.complete(recordKey, token, record, windowMs);
  } catch (error) {
    context.countIdempotencyFailOpen?.();
    context.logger?.warn(
      { err: error, requestId: accepted.result.requestId },
      'could not store the answer with its idempotency key; the request stays accepted',
    );
  }
}

/** The lease frees the key anyway: a release that fails only makes the client's retry wait for it. */
async function releaseQuietly(context: SubmissionContext, recordKey: string, token: string): Promise<void> {
  try {
    await context.idempotency.release(recordKey, token);
  } catch (error) {
    context.logger?.warn(
      { err: error },
      'could not release an idempotency key; it frees itself at its lease',
    );
  }
}

function describeWindow(ms: number): string {
  const hours = ms / 3_600_000;
  return Number.isInteger(hours) ? `${hours} h` : `${Math.ceil(ms / 1000)} s`;
}
