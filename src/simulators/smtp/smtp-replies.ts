import type { SendOutcome } from '../simulated-vendor.ts';
import type { SimulatedError } from '../vendor-error-catalogue.ts';
import { SMTP_SIMULATOR_VENDOR } from './smtp-credentials.ts';

/**
 * The simulated relay's refusals, in SMTP: `code` is the reply code and its enhanced status (RFC
 * 3463), `status` the HTTP-like class the behaviour engine sorts errors by (>= 500: the call failed
 * and may be retried; < 500: refused for good). Weights as the generic e-mail catalogue's.
 */
export const SMTP_ERRORS: readonly SimulatedError[] = [
  { status: 503, code: '421 4.3.2', weight: 2 }, // service not available, closing channel
  { status: 503, code: '451 4.3.0', weight: 1 }, // local error in processing
  { status: 500, code: '452 4.3.1', weight: 1 }, // insufficient system storage
  { status: 400, code: '550 5.1.1', weight: 3 }, // no such mailbox
  { status: 400, code: '554 5.7.1', weight: 1 }, // refused as spam
];

/** The catalogue of the simulator's SMTP vendor, undefined for any other id. */
export function smtpErrorsOf(vendorId: string): readonly SimulatedError[] | undefined {
  return vendorId === SMTP_SIMULATOR_VENDOR ? SMTP_ERRORS : undefined;
}

/** What smtp-server takes as a refusal: the reply code, and the text after it. */
export interface SmtpReply {
  readonly responseCode: number;
  readonly message: string;
}

/** Gmail's and Microsoft's throttling reply; SMTP has no Retry-After. */
export const RATE_LIMITED_REPLY: SmtpReply = {
  responseCode: 451,
  message: '4.7.500 Server busy, try again later',
};

/**
 * A simulated error as its SMTP reply: an SMTP code as written (`550 5.1.1`), or an error of
 * another catalogue (set on this vendor by hand, `{status: 503, code: "SERVICE_UNAVAILABLE"}`) as
 * 451 4.3.0 when it is a server error and 554 5.0.0 otherwise, its code in the text.
 */
export function smtpReplyOf(error: SimulatedError): SmtpReply {
  const smtp = error.code.match(/^([45]\d\d) ([45]\.\d{1,3}\.\d{1,3})$/);
  if (smtp) return { responseCode: Number(smtp[1]), message: `${smtp[2]} Simulated refusal` };
  return error.status >= 500
    ? { responseCode: 451, message: `4.3.0 ${error.code}` }
    : { responseCode: 554, message: `5.0.0 ${error.code}` };
}

/** The reply to a DATA whose outcome is answered (not a hang): a refusal, or undefined for 250. */
export function refusalOf(outcome: Exclude<SendOutcome, { kind: 'hang' }>): SmtpReply | undefined {
  if (outcome.kind === 'failed') return smtpReplyOf(outcome.error);
  if (outcome.kind === 'rate-limited') return RATE_LIMITED_REPLY;
  return undefined;
}
