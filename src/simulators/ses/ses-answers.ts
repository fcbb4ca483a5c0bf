import { randomBytes } from 'node:crypto';
import type { AnsweredOutcome } from '../simulated-vendor.ts';
import type { SimulatedError } from '../vendor-error-catalogue.ts';
import type { HttpAnswer } from '../wire-contract.ts';
import { SES_SIMULATOR_VENDOR } from './ses-credentials.ts';

/**
 * SES v2's errors as the simulator answers them (Amazon SES API v2 Reference, SendEmail, Errors;
 * AWS common errors): the HTTP status, the error name in `x-amzn-ErrorType` and `{"message"}` as
 * the body, which is what the SDK's restJson1 deserializer reads the exception's name from.
 */
export const SES_ERRORS: readonly SimulatedError[] = [
  { status: 503, code: 'ServiceUnavailable', weight: 2 },
  { status: 500, code: 'InternalFailure', weight: 1 },
  { status: 400, code: 'MessageRejected', weight: 3 }, // e.g. the content has a virus, or the address is suppressed
  { status: 400, code: 'SendingPausedException', weight: 1 },
];

/** The catalogue of the simulator's SES vendor, undefined for any other id. */
export function sesErrorsOf(vendorId: string): readonly SimulatedError[] | undefined {
  return vendorId === SES_SIMULATOR_VENDOR ? SES_ERRORS : undefined;
}

const MESSAGES: Readonly<Record<string, string>> = {
  ServiceUnavailable: 'The request has failed due to a temporary failure of the server.',
  InternalFailure: 'The request processing has failed because of an unknown error, exception or failure.',
  MessageRejected: 'Email address is on the suppression list for your account.',
  SendingPausedException: 'Sending is paused for this account.',
  TooManyRequestsException: 'Maximum sending rate exceeded.',
};

export function sesError(status: number, code: string, message = MESSAGES[code] ?? code): HttpAnswer {
  return { status, headers: { 'x-amzn-errortype': code }, body: { message } };
}

/**
 * An answered outcome as SES answers SendEmail: 200 `{"MessageId"}` (SES ids look like
 * `0100018c5c1a2b3d-<uuid>-000000`), 429 TooManyRequestsException for the rate limit (SES sends no
 * Retry-After), or the simulated error.
 */
export function renderSesOutcome(outcome: AnsweredOutcome | { kind: 'rate-limited' }): HttpAnswer {
  if (outcome.kind === 'rate-limited') return sesError(429, 'TooManyRequestsException');
  if (outcome.kind === 'failed') return sesError(outcome.error.status, outcome.error.code);
  const prefix = `010${randomBytes(7).toString('hex').slice(0, 13)}`;
  return { status: 200, body: { MessageId: `${prefix}-${outcome.vendorMessageId}-000000` } };
}
