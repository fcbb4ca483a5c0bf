import type { IncomingMessage, ServerResponse } from 'node:http';
import { BehaviourError } from './behaviour.ts';
import { PayloadTooLargeError, pathSegments, readBody, writeAnswer } from './http-io.ts';
import { PUSH_CONTROL_ROUTES } from './push-control-routes.ts';
import { handleSesCall } from './ses/ses-contract.ts';
import { SES_SIMULATOR_VENDOR } from './ses/ses-credentials.ts';
import {
  BODY_LIMIT_BYTES,
  error,
  ok,
  type Route,
  type RouteResult,
  type SimulatorRouteContext,
} from './sim-route.ts';
import { UnknownVendorError } from './simulator-fleet.ts';
import type { TextWireContract } from './text/text-contract.ts';
import { TEXT_WIRE_CONTRACTS } from './text/text-contracts.ts';
import { TEXT_CONTROL_ROUTES } from './text/text-control-routes.ts';
import { textContractOf } from './text/text-trust.ts';
import type { HttpAnswer } from './wire-contract.ts';

export type { SimulatorRouteContext } from './sim-route.ts';

const ROUTES: readonly Route[] = [
  { method: 'POST', pattern: ['vendors', ':vendorId', 'messages'], handle: sendMessage },
  {
    method: 'GET',
    pattern: ['_sim', 'stats'],
    // receipts: what the text vendors' look-ups and webhooks reported final (receipt-tally.ts).
    handle: async (context) =>
      ok({
        ...context.fleet.counter.stats(),
        receipts: context.text.results.tally.counts(),
        listedRows: context.text.results.listedRows(),
      }),
  },
  { method: 'GET', pattern: ['_sim', 'messages', ':vendorId', ':messageId'], handle: messageCount },
  {
    method: 'GET',
    pattern: ['_sim', 'vendors', ':vendorId', 'behaviour'],
    handle: async (context, _request, [vendorId]) => ok({ behaviour: context.fleet.behaviourOf(vendorId!) }),
  },
  { method: 'PUT', pattern: ['_sim', 'vendors', ':vendorId', 'behaviour'], handle: changeBehaviour },
  {
    method: 'POST',
    pattern: ['_sim', 'reset'],
    handle: async (context) => {
      context.reset();
      return { status: 204 };
    },
  },
  ...PUSH_CONTROL_ROUTES,
  ...TEXT_CONTROL_ROUTES,
];

/** The node:http request listener of the simulator. */
export function createSimulatorRequestHandler(
  context: SimulatorRouteContext,
): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    dispatch(context, request)
      .then((answer) => {
        if (answer !== null) writeAnswer(response, answer);
      })
      .catch((error: unknown) => {
        // On shutdown the socket is being destroyed anyway; anything else is answered as data.
        if (context.shutdown.aborted) response.destroy();
        else writeAnswer(response, answerForError(error));
      });
  };
}

async function dispatch(context: SimulatorRouteContext, request: IncomingMessage): Promise<RouteResult> {
  const segments = pathSegments(request.url);
  if (segments === null) return error(400, 'BAD_REQUEST', 'The path is not valid percent-encoding');
  if (segments.length > 1 && context.fleet.vendor(segments[0]!) !== undefined) {
    if (segments[0] === SES_SIMULATOR_VENDOR) return sesCall(context, request);
    const kind = textContractOf(segments[0]!, context.text.trust);
    if (kind !== undefined) return textCall(context, request, segments[0]!, TEXT_WIRE_CONTRACTS[kind]);
  }
  const matching = ROUTES.filter((route) => matches(route.pattern, segments));
  const route = matching.find((candidate) => candidate.method === request.method);
  if (route !== undefined) {
    const params = segments.filter((_segment, index) => route.pattern[index]!.startsWith(':'));
    return route.handle(context, request, params);
  }
  if (matching.length === 0) return error(404, 'NOT_FOUND', 'No such route');
  return {
    status: 405,
    headers: { allow: matching.map((candidate) => candidate.method).join(', ') },
    body: {
      code: 'METHOD_NOT_ALLOWED',
      message: `Use ${matching.map((candidate) => candidate.method).join(' or ')}`,
    },
  };
}

async function sendMessage(
  context: SimulatorRouteContext,
  request: IncomingMessage,
  [vendorId]: string[],
): Promise<RouteResult> {
  const vendor = context.fleet.vendor(vendorId!);
  if (vendor === undefined) throw new UnknownVendorError(vendorId!);
  const parsed = context.contract.parseSend(await readBody(request, BODY_LIMIT_BYTES), request.headers);
  if (!parsed.ok) return parsed.answer;
  const outcome = await vendor.handle(parsed.send, context.shutdown);
  if (outcome.kind !== 'hang') return context.contract.renderOutcome(outcome);
  // The hung call holds its connection alone: when that closes before the simulator does, the
  // caller gave up on the call (see ReceiveCounter.hangUps).
  request.socket.once('close', () => {
    if (!context.shutdown.aborted) context.fleet.counter.recordHangUp(vendorId!);
  });
  return null;
}

/**
 * A call to a Korean text vendor's own API, `/<vendorId>/<its path>`: its contract checks and
 * answers it (src/simulators/text/). A kind without a contract yet answers 404.
 */
async function textCall(
  context: SimulatorRouteContext,
  request: IncomingMessage,
  vendorId: string,
  contract: TextWireContract | undefined,
): Promise<RouteResult> {
  const vendor = context.fleet.vendor(vendorId)!;
  if (contract === undefined) return error(404, 'NOT_FOUND', `No contract is served for vendor ${vendorId}`);
  const url = request.url ?? '/';
  const prefix = `/${encodeURIComponent(vendorId)}`;
  const path = url.startsWith(prefix) ? url.slice(prefix.length) || '/' : url;
  const answer = await contract.handle(
    {
      vendorId,
      method: request.method ?? 'GET',
      path,
      headers: request.headers,
      body: await readBody(request, TEXT_BODY_LIMIT_BYTES),
    },
    { vendor, text: context.text, counter: context.fleet.counter, shutdown: context.shutdown },
  );
  if (answer === null) {
    request.socket.once('close', () => {
      if (!context.shutdown.aborted) context.fleet.counter.recordHangUp(vendorId);
    });
  }
  return answer;
}

/**
 * A call to the SES v2 API of vendor `ses`, `/ses/<its path>` (src/simulators/ses/): the whole
 * target goes to the signature check, since the SDK signed the path with the prefix in it.
 */
async function sesCall(context: SimulatorRouteContext, request: IncomingMessage): Promise<RouteResult> {
  const url = request.url ?? '/';
  const prefix = `/${SES_SIMULATOR_VENDOR}`;
  const answer = await handleSesCall(
    {
      method: request.method ?? 'GET',
      url,
      path: url.slice(prefix.length) || '/',
      headers: request.headers,
      body: await readBody(request, BODY_LIMIT_BYTES),
    },
    {
      vendor: context.fleet.vendor(SES_SIMULATOR_VENDOR)!,
      trust: context.ses,
      counter: context.fleet.counter,
      shutdown: context.shutdown,
      notifications: { text: context.text, signer: context.snsSigner },
    },
  );
  if (answer === null) {
    request.socket.once('close', () => {
      if (!context.shutdown.aborted) context.fleet.counter.recordHangUp(SES_SIMULATOR_VENDOR);
    });
  }
  return answer;
}

/** MMS uploads carry up to 300 KB images as base64, and bulk sends 1,000 recipients: 8 MiB covers both. */
const TEXT_BODY_LIMIT_BYTES = 8 * 1024 * 1024;

async function messageCount(
  context: SimulatorRouteContext,
  _request: IncomingMessage,
  [vendorId, messageId]: string[],
): Promise<RouteResult> {
  if (context.fleet.vendor(vendorId!) === undefined) throw new UnknownVendorError(vendorId!);
  return ok({ count: context.fleet.counter.countFor(vendorId!, messageId!) });
}

async function changeBehaviour(
  context: SimulatorRouteContext,
  request: IncomingMessage,
  [vendorId]: string[],
): Promise<RouteResult> {
  let patch: unknown;
  try {
    patch = JSON.parse((await readBody(request, BODY_LIMIT_BYTES)).toString('utf8'));
  } catch (cause) {
    if (cause instanceof PayloadTooLargeError) throw cause;
    return error(400, 'BAD_REQUEST', 'The body is not valid JSON');
  }
  return ok({ behaviour: context.fleet.setBehaviour(vendorId!, patch) });
}

function answerForError(cause: unknown): HttpAnswer {
  if (cause instanceof UnknownVendorError) return error(404, 'UNKNOWN_VENDOR', cause.message);
  if (cause instanceof BehaviourError) {
    return {
      status: 400,
      body: { code: 'INVALID_BEHAVIOUR', message: cause.message, violations: cause.violations },
    };
  }
  if (cause instanceof PayloadTooLargeError) return error(413, 'PAYLOAD_TOO_LARGE', cause.message);
  return error(500, 'SIMULATOR_FAULT', 'The simulator failed unexpectedly');
}

function matches(pattern: readonly string[], segments: readonly string[]): boolean {
  return (
    pattern.length === segments.length &&
    pattern.every((part, index) => part.startsWith(':') || part === segments[index])
  );
}
