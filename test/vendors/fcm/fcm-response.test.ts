import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HeraldError } from '../../../src/core/domain/errors.ts';
import { mapFcmReply, UNAUTHENTICATED } from '../../../src/vendors/fcm/fcm-response.ts';

const FCM_ERROR = 'type.googleapis.com/google.firebase.fcm.v1.FcmError';

function reply(status: number, body: unknown, headers: Record<string, string> = {}) {
  return { status, headers, body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)) };
}

function rpc(status: number, rpcStatus: string, errorCode?: string, extra: unknown[] = []) {
  const details = [...(errorCode ? [{ '@type': FCM_ERROR, errorCode }] : []), ...extra];
  return { error: { code: status, message: `${rpcStatus} message`, status: rpcStatus, details } };
}

function mapped(status: number, body: unknown, headers?: Record<string, string>): HeraldError {
  const result = mapFcmReply('fcm', reply(status, body, headers), Date.parse('2026-12-01T00:00:00Z'));
  assert.ok(result instanceof HeraldError, 'expected an error');
  return result;
}

describe('mapFcmReply', () => {
  it('returns the message name as the receipt', () => {
    assert.deepEqual(mapFcmReply('fcm', reply(200, { name: 'projects/p/messages/1' })), {
      vendorMessageId: 'projects/p/messages/1',
    });
    assert.equal(mapped(200, {}).vendorCode, 'MALFORMED_RESPONSE');
  });

  it('UNREGISTERED: the token is dead, not retryable', () => {
    const error = mapped(404, rpc(404, 'NOT_FOUND', 'UNREGISTERED'));
    assert.equal(error.code, 'HERALD_TOKEN_INVALID');
    assert.equal(error.retryable, false);
    assert.equal(error.vendorCode, 'UNREGISTERED');
  });

  it('INVALID_ARGUMENT: rejected for good with the field; a malformed token is an invalid recipient', () => {
    const violation = (field: string) => ({
      '@type': 'type.googleapis.com/google.rpc.BadRequest',
      fieldViolations: [{ field, description: 'bad' }],
    });
    const ttl = mapped(
      400,
      rpc(400, 'INVALID_ARGUMENT', 'INVALID_ARGUMENT', [violation('message.android.ttl')]),
    );
    assert.equal(ttl.code, 'HERALD_VENDOR_REJECTED');
    assert.equal(ttl.retryable, false);
    assert.equal(ttl.field, 'message.android.ttl');
    assert.equal(ttl.vendorCode, 'INVALID_ARGUMENT');
    const token = mapped(400, rpc(400, 'INVALID_ARGUMENT', 'INVALID_ARGUMENT', [violation('message.token')]));
    assert.equal(token.code, 'HERALD_RECIPIENT_INVALID');
  });

  it('QUOTA_EXCEEDED: retryable after Retry-After, or a minute without one; not the vendor fault', () => {
    const limited = mapped(429, rpc(429, 'RESOURCE_EXHAUSTED', 'QUOTA_EXCEEDED'), { 'retry-after': '7' });
    assert.equal(limited.code, 'HERALD_VENDOR_RATE_LIMITED');
    assert.equal(limited.retryable, true);
    assert.equal(limited.retryAfterMs, 7_000);
    assert.equal(limited.vendorFault, false);
    assert.equal(mapped(429, rpc(429, 'RESOURCE_EXHAUSTED', 'QUOTA_EXCEEDED')).retryAfterMs, 60_000);
  });

  it("UNAVAILABLE and INTERNAL: retryable, the vendor's fault, honouring Retry-After", () => {
    const unavailable = mapped(503, rpc(503, 'UNAVAILABLE', 'UNAVAILABLE'), { 'retry-after': '3' });
    assert.equal(unavailable.code, 'HERALD_VENDOR_UNAVAILABLE');
    assert.equal(unavailable.retryAfterMs, 3_000);
    assert.equal(unavailable.vendorFault, true);
    const internal = mapped(500, rpc(500, 'INTERNAL', 'INTERNAL'));
    assert.equal(internal.retryable, true);
    assert.equal(internal.vendorCode, 'INTERNAL');
    assert.equal(mapped(502, '<html>bad gateway</html>').vendorCode, 'HTTP_502');
  });

  it('401 without an FcmError asks for a token refresh; THIRD_PARTY_AUTH_ERROR does not', () => {
    assert.equal(mapFcmReply('fcm', reply(401, rpc(401, 'UNAUTHENTICATED'))), UNAUTHENTICATED);
    const thirdParty = mapped(401, rpc(401, 'UNAUTHENTICATED', 'THIRD_PARTY_AUTH_ERROR'));
    assert.equal(thirdParty.code, 'HERALD_VENDOR_REJECTED');
    assert.equal(thirdParty.vendorCode, 'THIRD_PARTY_AUTH_ERROR');
  });

  it("a 403 or 404 from Google's front end makes the vendor unusable, not the message bad", () => {
    for (const [status, name] of [
      [403, 'PERMISSION_DENIED'],
      [404, 'NOT_FOUND'],
    ] as const) {
      const error = mapped(status, rpc(status, name));
      assert.equal(error.code, 'HERALD_VENDOR_UNAVAILABLE');
      assert.equal(error.vendorFault, true);
      assert.equal(error.retryable, true);
    }
    assert.equal(
      mapped(403, rpc(403, 'PERMISSION_DENIED', 'SENDER_ID_MISMATCH')).code,
      'HERALD_VENDOR_REJECTED',
    );
  });
});
