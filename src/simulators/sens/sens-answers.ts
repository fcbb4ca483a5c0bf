import { randomUUID } from 'node:crypto';
import { formatSensTime } from '../../vendors/sens/sens-text.ts';
import type { RecipientOutcomes } from '../text/text-contract.ts';
import type { HttpAnswer } from '../wire-contract.ts';

/**
 * NAVER Cloud API Gateway's own refusals, before SENS sees the call (common-ncpapi / API Gateway
 * overview "Response status codes"): 401 code 200 Authentication Failed, 403 code 230 Forbidden,
 * 404 code 300 Not Found Exception...
 *
 *   {"error":{"errorCode":"200","message":"Authentication Failed","details":"..."}}
 */
export function gatewayError(
  status: number,
  errorCode: string,
  message: string,
  details: string,
): HttpAnswer {
  return { status, body: { error: { errorCode, message, details } } };
}

/** A 401 the way the gateway answers a missing or wrong key, signature or timestamp. */
export function authenticationFailed(details: string): HttpAnswer {
  return gatewayError(401, '200', 'Authentication Failed', details);
}

/**
 * SENS' own error answer (sens-sms-send / sens-alimtalk-send "errors": HTTP 400/401/403/404/429/500
 * with {status, errors, errorMessage}). `status` carries the vendor code herald keeps (the HTTP
 * status, as SENS has no finer code).
 */
export function sensError(status: number, errorMessage: string, errors: readonly string[] = []): HttpAnswer {
  return { status, body: { status: String(status), errorMessage, errors } };
}

/** 202 {requestId, requestTime, statusCode, statusName} (+ the AlimTalk per-message results). */
export function accepted(nowMs: number, extra: Record<string, unknown> = {}): HttpAnswer {
  return {
    status: 202,
    body: {
      requestId: randomUUID().replaceAll('-', '').slice(0, 20).toUpperCase(),
      requestTime: formatSensTime(nowMs),
      statusCode: '202',
      statusName: 'success',
      ...extra,
    },
  };
}

/**
 * The whole-call fates of a send (hang, throttle, outage) the SENS way, or undefined when every
 * recipient was answered and the contract renders them. 429 carries Retry-After in whole seconds,
 * rounded up, so a sender that waits them finds a token in the bucket.
 */
export function wholeCallAnswer(outcomes: RecipientOutcomes): HttpAnswer | null | undefined {
  switch (outcomes.kind) {
    case 'hang':
      return null;
    case 'rate-limited': {
      const answer = sensError(429, 'Too Many Requests');
      const seconds = Math.max(1, Math.ceil(outcomes.retryAfterMs / 1_000));
      return { ...answer, headers: { 'retry-after': String(seconds) } };
    }
    case 'failed':
      return sensError(outcomes.outcome.error.status, `Simulated ${outcomes.outcome.error.code}`);
    case 'answered':
      return undefined;
  }
}
