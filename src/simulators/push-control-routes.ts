import type { IncomingMessage } from 'node:http';
import { answerTokenRequest } from './fcm/oauth-token-endpoint.ts';
import { PayloadTooLargeError, readBody } from './http-io.ts';
import {
  BODY_LIMIT_BYTES,
  error,
  ok,
  type Route,
  type RouteResult,
  type SimulatorRouteContext,
} from './sim-route.ts';
import { UnknownVendorError } from './simulator-fleet.ts';

/**
 * HTTP/1.1 routes of the push side: Google's OAuth token endpoint (a sender's real token source
 * pointed at the simulator), and the controls tests and drills use to make FCM and APNs misbehave
 * the way they do in production (dead tokens, revoked credentials, a front end going away).
 */
export const PUSH_CONTROL_ROUTES: readonly Route[] = [
  { method: 'POST', pattern: ['oauth2', 'token'], handle: oauthToken },
  { method: 'POST', pattern: ['_sim', 'vendors', ':vendorId', 'dead-tokens'], handle: markTokensDead },
  {
    method: 'POST',
    pattern: ['_sim', 'vendors', ':vendorId', 'revoke-tokens'],
    handle: async (context, _request, [vendorId]) => {
      requireVendor(context, vendorId!);
      return ok({ revoked: context.push.revokeAccessTokens(vendorId!) });
    },
  },
  {
    method: 'POST',
    pattern: ['_sim', 'h2', 'goaway'],
    handle: async (context) => ok({ sessions: context.h2.goAway() }),
  },
  {
    method: 'POST',
    pattern: ['_sim', 'h2', 'drop'],
    handle: async (context) => ok({ sessions: context.h2.destroyAll() }),
  },
  { method: 'GET', pattern: ['_sim', 'h2', 'stats'], handle: async (context) => ok(context.h2.stats()) },
];

async function oauthToken(context: SimulatorRouteContext, request: IncomingMessage): Promise<RouteResult> {
  const body = await readBody(request, BODY_LIMIT_BYTES);
  const host = request.headers.host ?? '127.0.0.1';
  return answerTokenRequest(
    { body, contentType: request.headers['content-type'], servedUrl: `http://${host}/oauth2/token` },
    context.push,
    Date.now(),
  );
}

/** `{"tokens": ["...", ...]}` -> those tokens answer as unregistered from now on. */
async function markTokensDead(
  context: SimulatorRouteContext,
  request: IncomingMessage,
  [vendorId]: string[],
): Promise<RouteResult> {
  requireVendor(context, vendorId!);
  let parsed: unknown;
  try {
    parsed = JSON.parse((await readBody(request, BODY_LIMIT_BYTES)).toString('utf8'));
  } catch (cause) {
    if (cause instanceof PayloadTooLargeError) throw cause;
    return error(400, 'BAD_REQUEST', 'The body is not valid JSON');
  }
  const tokens = (parsed as { tokens?: unknown } | null)?.tokens;
  if (!Array.isArray(tokens) || !tokens.every((token) => typeof token === 'string' && token !== '')) {
    return error(400, 'BAD_REQUEST', 'tokens must be an array of non-empty strings');
  }
  return ok({ marked: context.push.deadTokens.mark(vendorId!, tokens) });
}

function requireVendor(context: SimulatorRouteContext, vendorId: string): void {
  if (context.fleet.vendor(vendorId) === undefined) throw new UnknownVendorError(vendorId);
}
