import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HeraldError } from '../../src/core/domain/errors.ts';
import { mapSimulatorResponse } from '../../src/vendors/map-simulator-response.ts';

function mapped(status: number, body: unknown, retryAfter?: string) {
  return mapSimulatorResponse('sim-x', { status, body, retryAfter }, Date.parse('2026-03-01T00:00:00Z'));
}

function mappedError(status: number, body: unknown, retryAfter?: string): HeraldError {
  const result = mapped(status, body, retryAfter);
  assert.ok(result instanceof HeraldError, `HTTP ${status} should map to an error`);
  return result;
}

function summary(error: HeraldError) {
  return {
    code: error.code,
    retryable: error.retryable,
    vendorFault: error.vendorFault,
    vendorCode: error.vendorCode,
    retryAfterMs: error.retryAfterMs,
  };
}

describe('mapSimulatorResponse', () => {
  it('turns 200 into a receipt', () => {
    assert.deepEqual(mapped(200, { vendorMessageId: 'v-1', status: 'accepted' }), { vendorMessageId: 'v-1' });
  });

  it('treats a success without a vendor message id as a retryable vendor fault', () => {
    assert.deepEqual(summary(mappedError(200, undefined)), {
      code: 'HERALD_VENDOR_UNAVAILABLE',
      retryable: true,
      vendorFault: true,
      vendorCode: 'MALFORMED_RESPONSE',
      retryAfterMs: undefined,
    });
  });

  it('maps 429 to a retryable rate limit with Retry-After in ms, not the vendor fault', () => {
    assert.deepEqual(summary(mappedError(429, { code: 'RATE_LIMITED' }, '2')), {
      code: 'HERALD_VENDOR_RATE_LIMITED',
      retryable: true,
      vendorFault: false,
      vendorCode: 'RATE_LIMITED',
      retryAfterMs: 2_000,
    });
    assert.equal(mappedError(429, undefined, 'Sun, 01 Mar 2026 00:00:05 GMT').retryAfterMs, 5_000);
    assert.equal(mappedError(429, undefined).retryAfterMs, undefined);
  });

  it('maps 5xx to a retryable vendor fault, keeping the vendor code', () => {
    for (const status of [500, 502, 503]) {
      assert.deepEqual(summary(mappedError(status, { code: 'SERVER_ERROR' })), {
        code: 'HERALD_VENDOR_UNAVAILABLE',
        retryable: true,
        vendorFault: true,
        vendorCode: 'SERVER_ERROR',
        retryAfterMs: undefined,
      });
    }
  });

  it('maps INVALID_RECIPIENT and UNREGISTERED to a permanent invalid recipient', () => {
    for (const [status, code] of [
      [400, 'INVALID_RECIPIENT'],
      [404, 'UNREGISTERED'],
    ] as const) {
      assert.deepEqual(summary(mappedError(status, { code })), {
        code: 'HERALD_RECIPIENT_INVALID',
        retryable: false,
        vendorFault: false,
        vendorCode: code,
        retryAfterMs: undefined,
      });
    }
  });

  it('maps any other 4xx to a permanent rejection', () => {
    assert.deepEqual(summary(mappedError(400, { code: 'BAD_REQUEST', message: 'INVALID_RECIPIENT' })), {
      code: 'HERALD_VENDOR_REJECTED',
      retryable: false,
      vendorFault: false,
      vendorCode: 'BAD_REQUEST',
      retryAfterMs: undefined,
    });
    assert.equal(mappedError(404, { code: 'UNKNOWN_VENDOR' }).code, 'HERALD_VENDOR_REJECTED');
  });

  it('falls back to the HTTP status as the vendor code when the body has none', () => {
    assert.equal(mappedError(502, '<html>bad gateway</html>').vendorCode, 'HTTP_502');
    assert.equal(mappedError(403, undefined).code, 'HERALD_VENDOR_REJECTED');
  });

  it('treats 408 and unexpected redirects as transient vendor faults', () => {
    assert.equal(mappedError(408, undefined).code, 'HERALD_VENDOR_UNAVAILABLE');
    assert.equal(mappedError(302, undefined).retryable, true);
  });
});
