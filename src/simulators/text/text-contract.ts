import type { IncomingHttpHeaders } from 'node:http';
import type { ReceiveCounter } from '../receive-counter.ts';
import type { AnsweredOutcome, SendOutcome, SimulatedSend, SimulatedVendor } from '../simulated-vendor.ts';
import type { HttpAnswer } from '../wire-contract.ts';
import type { TextSimulation } from './text-simulation.ts';

/** One HTTP/1.1 call to a simulated text vendor, addressed `/<vendorId>/<the vendor's own path>`. */
export interface TextRequest {
  readonly vendorId: string;
  readonly method: string;
  /** The path after the vendor prefix, leading slash and query kept: what the vendor's host would see. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface TextContractContext {
  /** The vendor's behaviour (latency, errors, hangs, rate limit) and its delivery counting. */
  readonly vendor: SimulatedVendor;
  readonly text: TextSimulation;
  readonly counter: ReceiveCounter;
  /** Aborted when the simulator closes. */
  readonly shutdown: AbortSignal;
}

/**
 * A Korean text vendor's API as the simulator speaks it (NHN Cloud SMS, NHN AlimTalk, SENS SMS and
 * AlimTalk, SOLAPI): its paths, its authentication, its checks and byte limits, its answers and
 * error bodies. The contract checks the call first (auth, then the body, as the vendor's gateway
 * and API would), then lets the vendor's behaviour decide each recipient's fate
 * (handleRecipients). Resolves to null to leave the call hanging.
 */
export interface TextWireContract {
  handle(request: TextRequest, context: TextContractContext): Promise<HttpAnswer | null>;
}

/** The recipients' fates in one call: per recipient, or the whole call hangs or is throttled. */
export type RecipientOutcomes =
  | { readonly kind: 'hang' }
  | { readonly kind: 'rate-limited'; readonly retryAfterMs: number }
  /**
   * A 5xx among them: the vendor's front end failed the whole call (nothing was taken), which is
   * how these vendors fail under trouble.
   */
  | { readonly kind: 'failed'; readonly outcome: Extract<AnsweredOutcome, { kind: 'failed' }> }
  | { readonly kind: 'answered'; readonly outcomes: readonly AnsweredOutcome[] };

/**
 * Runs the vendor's behaviour once per recipient of a call (a bulk call of 1,000 takes 1,000
 * tokens of its rate limit and waits for its slowest recipient). Any hang hangs the call, any
 * throttle throttles it, any 5xx fails it whole; otherwise each recipient keeps its own outcome
 * (accepted, or a 4xx the contract renders as that recipient's result code).
 */
export async function handleRecipients(
  vendor: SimulatedVendor,
  sends: readonly SimulatedSend[],
  shutdown: AbortSignal,
): Promise<RecipientOutcomes> {
  const outcomes: SendOutcome[] = await Promise.all(sends.map((send) => vendor.handle(send, shutdown)));
  if (outcomes.some((outcome) => outcome.kind === 'hang')) return { kind: 'hang' };
  const throttled = outcomes.find((outcome) => outcome.kind === 'rate-limited');
  if (throttled?.kind === 'rate-limited')
    return { kind: 'rate-limited', retryAfterMs: throttled.retryAfterMs };
  const serverError = outcomes.find((outcome) => outcome.kind === 'failed' && outcome.error.status >= 500);
  if (serverError?.kind === 'failed') return { kind: 'failed', outcome: serverError };
  return { kind: 'answered', outcomes: outcomes as AnsweredOutcome[] };
}
