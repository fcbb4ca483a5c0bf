import type { OutgoingRecord } from '../../ports/transport.ts';
import type { Envelope } from '../domain/message.ts';
import type { MessageStatus } from '../domain/message-status.ts';
import type { RetrySettings } from '../domain/remote-config.ts';
import { nextAttemptDelay } from './backoff.ts';
import { encodeEnvelope } from './envelope-codec.ts';
import type { SendOutcome } from './send-outcome.ts';
import { retryTopic } from './topics.ts';

export type FailurePlan =
  | {
      readonly kind: 'retry';
      readonly status: 'retrying';
      readonly errorCode: string;
      readonly record: OutgoingRecord;
    }
  | {
      readonly kind: 'final';
      readonly status: Extract<MessageStatus, 'failed' | 'expired'>;
      readonly errorCode: string;
    };

/**
 * Codes that end a message whatever the error says of itself: a dead device token stays dead (the
 * push service said so, and the token is now marked dead in the registry), and a user without live
 * devices does not get one by waiting; a retry could only fail again at the cost of a call.
 */
const NEVER_RETRIED: ReadonlySet<string> = new Set(['HERALD_TOKEN_INVALID', 'HERALD_NO_DEVICES']);

/**
 * After a failed attempt: a non-retryable failure (or one of NEVER_RETRIED) or the last allowed
 * attempt ends as `failed` with the vendor's code; a retry that could only happen after the
 * message's expiry ends as `expired`; anything else goes to the lane's retry topic with its
 * next-attempt time.
 */
export function planAfterFailure(
  envelope: Envelope,
  outcome: Extract<SendOutcome, { kind: 'failed' }>,
  settings: RetrySettings,
  now: number,
  random: () => number = Math.random,
): FailurePlan {
  const { error } = outcome;
  if (!error.retryable || NEVER_RETRIED.has(error.code) || envelope.attempt >= settings.maxAttempts) {
    return { kind: 'final', status: 'failed', errorCode: error.code };
  }
  const notBefore = now + nextAttemptDelay(envelope.attempt, settings, error.retryAfterMs, random);
  if (notBefore >= envelope.expiresAt) {
    return { kind: 'final', status: 'expired', errorCode: 'HERALD_EXPIRED' };
  }
  const failedVendors = outcome.vendor
    ? [...new Set([...(envelope.failedVendors ?? []), outcome.vendor])].slice(-5)
    : envelope.failedVendors;
  const record = retryRecord({ ...envelope, failedVendors }, { notBefore, attempt: envelope.attempt + 1 });
  return { kind: 'retry', status: 'retrying', errorCode: error.code, record };
}

/** The retry-topic record for an envelope; keyed by message key so its order is kept. */
export function retryRecord(
  envelope: Envelope,
  next: { notBefore: number; attempt: number; deferredForNight?: true },
): OutgoingRecord {
  return {
    topic: retryTopic(envelope.lane),
    key: envelope.key,
    value: encodeEnvelope({ ...envelope, ...next }),
  };
}
