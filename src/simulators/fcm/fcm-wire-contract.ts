import type { H2Parsed, H2WireContract } from '../h2-wire-contract.ts';
import type { AnsweredOutcome } from '../simulated-vendor.ts';
import type { HttpAnswer } from '../wire-contract.ts';
import { bearerProblem } from './fcm-bearer-check.ts';
import { checkFcmRequest } from './fcm-request-checks.ts';
import { fcmCodedError, fcmErrorAnswer, QUOTA_FAILURE_TYPE } from './fcm-status.ts';

/** `/v1/projects/{project_id}/messages:send`, after the simulator's `/<vendorId>` prefix. */
const SEND_PATH = /^\/v1\/projects\/([^/]+)\/messages:send$/;

/**
 * FCM HTTP v1 on the simulator's HTTP/2 port:
 *
 *   POST /<vendorId>/v1/projects/<project>/messages:send
 *   authorization: Bearer <token from POST /oauth2/token>
 *   {"validate_only"?: bool, "message": {"token": "...", "data": {"herald_message_id": "..."}, ...}}
 *
 *   200 {"name":"projects/<project>/messages/<id>"}
 *   400 INVALID_ARGUMENT | 401 UNAUTHENTICATED | 403 PERMISSION_DENIED | 404 UNREGISTERED
 *   429 QUOTA_EXCEEDED + retry-after | 500 INTERNAL | 503 UNAVAILABLE   (google.rpc Status bodies)
 *
 * Checks in Google's order: credentials, project, body, then the token's registration. A dry run
 * (validate_only) is answered at once with FCM's fake id and never delivered or counted.
 */
export const FCM_WIRE_CONTRACT: H2WireContract = {
  parse(request, context): H2Parsed {
    const match = SEND_PATH.exec(request.path);
    if (match === null || request.method !== 'POST') {
      return now(fcmErrorAnswer(404, `The requested URL ${request.path} was not found on this server.`));
    }
    const projectId = safeDecode(match[1]!);
    const { vendorId } = request;
    const denied = bearerProblem(request.headers, vendorId, projectId, context.push, context.nowMs);
    if (denied !== undefined) return now(denied);
    const checked = checkFcmRequest(request.body);
    if (!checked.ok) return now(checked.answer);
    const { token, countId, validateOnly } = checked.request;
    if (token !== undefined && context.push.deadTokens.deadSince(vendorId, token) !== undefined) {
      return now(fcmCodedError(404, 'UNREGISTERED'));
    }
    if (validateOnly)
      return now({ status: 200, body: { name: `projects/${projectId}/messages/fake_message_id` } });
    return {
      kind: 'send',
      send: { messageId: countId, idempotencyKey: undefined },
      render: (outcome) => renderOutcome(projectId, outcome),
    };
  },
};

function renderOutcome(projectId: string, outcome: AnsweredOutcome): HttpAnswer {
  switch (outcome.kind) {
    case 'accepted':
      return { status: 200, body: { name: `projects/${projectId}/messages/${outcome.vendorMessageId}` } };
    case 'failed':
      return fcmCodedError(outcome.error.status, outcome.error.code);
    case 'rate-limited':
      return fcmErrorAnswer(429, 'Quota exceeded for quota metric of the project.', {
        errorCode: 'QUOTA_EXCEEDED',
        extraDetails: [
          {
            '@type': QUOTA_FAILURE_TYPE,
            violations: [{ subject: `project_id:${projectId}`, description: 'Send messages per minute' }],
          },
        ],
        // Whole seconds, rounded up, so a sender that waits them finds a token in the bucket.
        headers: { 'retry-after': String(Math.max(1, Math.ceil(outcome.retryAfterMs / 1_000))) },
      });
  }
}

function now(answer: HttpAnswer): H2Parsed {
  return { kind: 'answer', answer };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
