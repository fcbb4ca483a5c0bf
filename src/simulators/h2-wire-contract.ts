import type { IncomingHttpHeaders } from 'node:http2';
import type { PushSimulation } from './push-simulation.ts';
import type { AnsweredOutcome, SimulatedSend } from './simulated-vendor.ts';
import type { HttpAnswer } from './wire-contract.ts';

/** One request on the simulator's HTTP/2 port, addressed to one simulated vendor. */
export interface H2SendRequest {
  readonly vendorId: string;
  readonly method: string;
  /** The path after the `/<vendorId>` prefix, with its leading slash: `/3/device/ab12...`. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** What a contract may consult while checking a request. */
export interface H2ContractContext {
  /** Trust, issued access tokens, dead device tokens. */
  readonly push: PushSimulation;
  /**
   * Scratch state of the HTTP/2 connection the request came on (e.g. APNs: the provider token
   * last accepted on it, for TooManyProviderTokenUpdates). Dropped with the connection.
   */
  readonly connection: Map<string, unknown>;
  /** Epoch ms. */
  readonly nowMs: number;
}

/**
 * The result of checking a request: either a send for the vendor's behaviour (latency, errors,
 * hangs, rate limit, counting) with how to render its outcome, or an answer given at once (a
 * rejected credential, an invalid body, a dead token, a dry run), which is never counted.
 */
export type H2Parsed =
  | {
      readonly kind: 'send';
      readonly send: SimulatedSend;
      readonly render: (outcome: AnsweredOutcome) => HttpAnswer;
    }
  | { readonly kind: 'answer'; readonly answer: HttpAnswer };

/**
 * A push service's wire contract on the simulator's HTTP/2 port (FCM HTTP v1, APNs). It checks
 * what the real service checks, in the real service's order, and answers with its real bodies.
 */
export interface H2WireContract {
  parse(request: H2SendRequest, context: H2ContractContext): H2Parsed | Promise<H2Parsed>;
}
