import type { IncomingHttpHeaders } from 'node:http2';
import type { PushSimulation } from '../push-simulation.ts';
import type { HttpAnswer } from '../wire-contract.ts';
import { fcmErrorAnswer } from './fcm-status.ts';

/** Scopes that allow messages:send (FCM's docs). */
const SEND_SCOPES: ReadonlySet<string> = new Set([
  'https://www.googleapis.com/auth/firebase.messaging',
  'https://www.googleapis.com/auth/cloud-platform',
]);

const CREDENTIAL_HINT =
  'Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.';

/**
 * Checks the Authorization header of a send to `vendorId`'s project as Google's front end does:
 * 401 UNAUTHENTICATED for a missing, unknown, expired or revoked token (what makes a sender
 * refresh), 403 PERMISSION_DENIED for a live token of another project or without a send scope.
 * Returns undefined when the call may go on.
 */
export function bearerProblem(
  headers: IncomingHttpHeaders,
  vendorId: string,
  projectId: string,
  push: PushSimulation,
  nowMs: number,
): HttpAnswer | undefined {
  const authorization = headers.authorization;
  const match = typeof authorization === 'string' ? /^Bearer\s+(\S+)$/i.exec(authorization) : null;
  if (match === null) {
    return fcmErrorAnswer(401, `Request is missing required authentication credential. ${CREDENTIAL_HINT}`);
  }
  const grant = push.accessTokens.lookup(match[1]!, nowMs);
  if (grant === undefined) {
    return fcmErrorAnswer(401, `Request had invalid authentication credentials. ${CREDENTIAL_HINT}`, {
      headers: { 'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' },
    });
  }
  const trust = push.fcmTrust(vendorId);
  if (trust === undefined || trust.clientEmail !== grant.clientEmail || trust.projectId !== projectId) {
    return fcmErrorAnswer(
      403,
      `Permission 'cloudmessaging.messages.create' denied on resource '//cloudresourcemanager.googleapis.com/projects/${projectId}' (or it may not exist).`,
    );
  }
  if (!grant.scopes.some((scope) => SEND_SCOPES.has(scope))) {
    return fcmErrorAnswer(403, 'Request had insufficient authentication scopes.');
  }
  return undefined;
}
