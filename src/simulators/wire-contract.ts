import type { IncomingHttpHeaders } from 'node:http';
import type { AnsweredOutcome, SimulatedSend } from './simulated-vendor.ts';

/** An HTTP answer as data, so wire contracts stay testable without a socket. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Serialised as JSON; undefined means an empty body. */
  readonly body?: unknown;
}

export type ParsedSend =
  | { readonly ok: true; readonly send: SimulatedSend }
  | { readonly ok: false; readonly answer: HttpAnswer };

/**
 * A vendor's wire format, kept apart from its behaviour: how a send request is read, and how an
 * outcome is written back. The generic simulator contract is one; each real vendor's faithful
 * contract (FCM, APNs, the SMS and Kakao vendors) is another implementation of this interface.
 */
export interface WireContract {
  parseSend(rawBody: Buffer, headers: IncomingHttpHeaders): ParsedSend;
  renderOutcome(outcome: AnsweredOutcome): HttpAnswer;
}
