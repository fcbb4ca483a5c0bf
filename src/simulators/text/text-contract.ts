import type { IncomingHttpHeaders } from 'node:http';
import type { ReceiveCounter } from '../receive-counter.ts';
import type { SimulatedVendor } from '../simulated-vendor.ts';
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
 * (SimulatedVendor.handleMany). Resolves to null to leave the call hanging.
 */
export interface TextWireContract {
  handle(request: TextRequest, context: TextContractContext): Promise<HttpAnswer | null>;
}

export type { RecipientOutcomes } from '../simulated-vendor.ts';
