import type { IncomingHttpHeaders } from 'node:http';
import type { AnsweredOutcome } from './simulated-vendor.ts';
import type { HttpAnswer, ParsedSend, WireContract } from './wire-contract.ts';

/**
 * The generic simulator contract, spoken by every simulated vendor until it gets its real one.
 *
 *   POST /vendors/:vendorId/messages
 *   Idempotency-Key: <message idempotency key>          (optional)
 *   { "messageId": "m-1", "channel": "sms", "to": "01012345678",
 *     "subject"?: "...", "body": "...", "template"?: { "code": "...", "vars": { ... } },
 *     "listUnsubscribe"?: "https://..." }   (ad e-mail: List-Unsubscribe + One-Click, RFC 8058)
 *
 *   200 { "vendorMessageId": "<uuid>", "status": "accepted" }
 *   400 { "code": "BAD_REQUEST", "message": "<every violation>" }
 *   429 { "code": "RATE_LIMITED", "message": ... }   + Retry-After: <whole seconds>
 *   4xx / 5xx { "code": "<vendor code, e.g. INVALID_RECIPIENT, SERVER_ERROR>", "message": ... }
 */
export const GENERIC_WIRE_CONTRACT: WireContract = {
  parseSend(rawBody: Buffer, headers: IncomingHttpHeaders): ParsedSend {
    let body: unknown;
    try {
      body = JSON.parse(rawBody.toString('utf8'));
    } catch {
      return badRequest(['the body is not valid JSON']);
    }
    const violations = sendBodyViolations(body);
    if (violations.length > 0) return badRequest(violations);
    const { messageId } = body as { messageId: string };
    return { ok: true, send: { messageId, idempotencyKey: idempotencyKeyOf(headers) } };
  },

  renderOutcome(outcome: AnsweredOutcome): HttpAnswer {
    switch (outcome.kind) {
      case 'accepted':
        return { status: 200, body: { vendorMessageId: outcome.vendorMessageId, status: 'accepted' } };
      case 'failed':
        return {
          status: outcome.error.status,
          body: { code: outcome.error.code, message: 'Simulated vendor failure' },
        };
      case 'rate-limited':
        return {
          status: 429,
          // Retry-After carries whole seconds; round up so a client that obeys it finds a token.
          headers: { 'retry-after': String(Math.max(1, Math.ceil(outcome.retryAfterMs / 1_000))) },
          body: { code: 'RATE_LIMITED', message: 'Too many requests' },
        };
    }
  },
};

function sendBodyViolations(body: unknown): string[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return ['the body must be an object'];
  const fields = body as Record<string, unknown>;
  const violations: string[] = [];
  for (const name of ['messageId', 'channel', 'to'] as const) {
    if (typeof fields[name] !== 'string' || fields[name] === '')
      violations.push(`${name} must be a non-empty string`);
  }
  if (typeof fields.body !== 'string') violations.push('body must be a string');
  if (fields.subject !== undefined && typeof fields.subject !== 'string') {
    violations.push('subject must be a string when given');
  }
  if (fields.listUnsubscribe !== undefined && !isHttpUrl(fields.listUnsubscribe)) {
    violations.push('listUnsubscribe must be an http(s) URL when given');
  }
  if (fields.template !== undefined && !isTemplate(fields.template)) {
    violations.push('template must be { code: string, vars: object of strings } when given');
  }
  return violations;
}

function isHttpUrl(value: unknown): boolean {
  return typeof value === 'string' && URL.canParse(value) && /^https?:$/.test(new URL(value).protocol);
}

function isTemplate(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const { code, vars } = value as Record<string, unknown>;
  if (typeof code !== 'string' || code === '') return false;
  if (typeof vars !== 'object' || vars === null || Array.isArray(vars)) return false;
  return Object.values(vars).every((item) => typeof item === 'string');
}

function idempotencyKeyOf(headers: IncomingHttpHeaders): string | undefined {
  const key = headers['idempotency-key'];
  return typeof key === 'string' && key !== '' ? key : undefined;
}

function badRequest(violations: readonly string[]): ParsedSend {
  return {
    ok: false,
    answer: { status: 400, body: { code: 'BAD_REQUEST', message: violations.join('; ') } },
  };
}
