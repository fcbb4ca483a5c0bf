import type { IncomingMessage } from 'node:http';
import type { H2Stats } from './h2-endpoint.ts';
import type { PushSimulation } from './push-simulation.ts';
import type { SesTrust } from './ses/ses-credentials.ts';
import type { SnsSigner } from './ses/sns-notifier.ts';
import type { SimulatorFleet } from './simulator-fleet.ts';
import type { TextSimulation } from './text/text-simulation.ts';
import type { HttpAnswer, WireContract } from './wire-contract.ts';

/** What the HTTP/1.1 routes need from the simulator. */
export interface SimulatorRouteContext {
  readonly fleet: SimulatorFleet;
  /** The generic contract of `POST /vendors/:vendorId/messages`. */
  readonly contract: WireContract;
  /** Push trust, OAuth access tokens, dead device tokens. */
  readonly push: PushSimulation;
  /** The Korean text vendors' trust and records (src/simulators/text/). */
  readonly text: TextSimulation;
  /** The access key vendor `ses` checks SigV4 signatures against (src/simulators/ses/). */
  readonly ses: SesTrust | undefined;
  /** What the simulated SNS signs SES' notifications with (ses/sns-signing-credentials.ts). */
  readonly snsSigner: SnsSigner | undefined;
  /** The HTTP/2 side, for its control routes. */
  readonly h2: { goAway(): number; destroyAll(): number; stats(): H2Stats };
  /** What `POST /_sim/reset` and SimulatorServer.reset() do. */
  reset(): void;
  /** Aborted when the server closes: pending answers are dropped, not written. */
  readonly shutdown: AbortSignal;
}

/** An answer, or null to leave the request hanging. */
export type RouteResult = HttpAnswer | null;

export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT';
  /** Path segments; ':name' matches any one segment, passed to `handle` in order. */
  readonly pattern: readonly string[];
  handle(context: SimulatorRouteContext, request: IncomingMessage, params: string[]): Promise<RouteResult>;
}

/** Send and control bodies are small; anything near this is a client bug, not a message. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

export function ok(body: unknown): HttpAnswer {
  return { status: 200, body };
}

export function error(status: number, code: string, message: string): HttpAnswer {
  return { status, body: { code, message } };
}
