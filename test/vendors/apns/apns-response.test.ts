import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HeraldError } from '../../../src/core/domain/errors.ts';
import { mapApnsResponse, providerTokenRefused } from '../../../src/vendors/apns/apns-response.ts';

const NOW = Date.parse('2026-12-01T00:00:00Z');
const SENT_ID = '019a0000-0000-7000-8000-000000000001';

function mapped(status: number, body: unknown, headers: Record<string, string> = {}) {
  const raw =
    body === undefined
      ? Buffer.alloc(0)
      : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return mapApnsResponse('apns', { status, headers, body: raw }, SENT_ID, NOW);
}

function summary(status: number, body: unknown, headers?: Record<string, string>) {
  const error = mapped(status, body, headers);
  assert.ok(error instanceof HeraldError, `${status} should map to an error`);
  return [error.code, error.retryable, error.vendorFault, error.vendorCode, error.retryAfterMs];
}

describe('mapApnsResponse', () => {
  it('turns 200 into a receipt carrying the apns-id APNs echoed (or the one sent)', () => {
    assert.deepEqual(mapped(200, undefined, { 'apns-id': 'echoed' }), { vendorMessageId: 'echoed' });
    assert.deepEqual(mapped(200, undefined), { vendorMessageId: SENT_ID });
  });

  it('maps 410 Unregistered and ExpiredToken to a dead token, permanent', () => {
    const body = { reason: 'Unregistered', timestamp: NOW - 1_000 };
    assert.deepEqual(summary(410, body), ['HERALD_TOKEN_INVALID', false, false, 'Unregistered', undefined]);
    assert.deepEqual(summary(410, { reason: 'ExpiredToken' }), [
      'HERALD_TOKEN_INVALID',
      false,
      false,
      'ExpiredToken',
      undefined,
    ]);
  });

  it('maps token reasons of a 400 to an invalid recipient that is not marked dead', () => {
    for (const reason of ['BadDeviceToken', 'DeviceTokenNotForTopic', 'MissingDeviceToken']) {
      assert.deepEqual(summary(400, { reason }), [
        'HERALD_RECIPIENT_INVALID',
        false,
        false,
        reason,
        undefined,
      ]);
    }
  });

  it('asks for a new provider token on 403 ExpiredProviderToken and InvalidProviderToken', () => {
    for (const reason of ['ExpiredProviderToken', 'InvalidProviderToken']) {
      assert.deepEqual(mapped(403, { reason }), { kind: 'renew-provider-token', reason });
    }
    const gaveUp = providerTokenRefused('apns', 'InvalidProviderToken');
    assert.deepEqual(
      [gaveUp.code, gaveUp.retryable, gaveUp.vendorFault, gaveUp.vendorCode],
      ['HERALD_VENDOR_UNAVAILABLE', true, true, 'InvalidProviderToken'],
    );
  });

  it('maps the other 403s (key, team, environment) to an unhealthy vendor', () => {
    for (const reason of ['MissingProviderToken', 'Forbidden', 'BadEnvironmentKeyIdInToken']) {
      assert.deepEqual(summary(403, { reason }), [
        'HERALD_VENDOR_UNAVAILABLE',
        true,
        true,
        reason,
        undefined,
      ]);
    }
  });

  it('maps 429 to a retryable rate limit honouring Retry-After, not held against the vendor', () => {
    assert.deepEqual(summary(429, { reason: 'TooManyRequests' }, { 'retry-after': '3' }), [
      'HERALD_VENDOR_RATE_LIMITED',
      true,
      false,
      'TooManyRequests',
      3_000,
    ]);
    assert.deepEqual(summary(429, { reason: 'TooManyProviderTokenUpdates' }), [
      'HERALD_VENDOR_RATE_LIMITED',
      true,
      false,
      'TooManyProviderTokenUpdates',
      undefined,
    ]);
  });

  it('maps 500 and 503 to a retryable vendor fault', () => {
    assert.deepEqual(summary(500, { reason: 'InternalServerError' }), [
      'HERALD_VENDOR_UNAVAILABLE',
      true,
      true,
      'InternalServerError',
      undefined,
    ]);
    assert.deepEqual(summary(503, { reason: 'ServiceUnavailable' }, { 'retry-after': '2' }), [
      'HERALD_VENDOR_UNAVAILABLE',
      true,
      true,
      'ServiceUnavailable',
      2_000,
    ]);
    assert.deepEqual(summary(503, { reason: 'Shutdown' }), [
      'HERALD_VENDOR_UNAVAILABLE',
      true,
      true,
      'Shutdown',
      undefined,
    ]);
    assert.deepEqual(summary(502, '<html>bad gateway</html>'), [
      'HERALD_VENDOR_UNAVAILABLE',
      true,
      true,
      'HTTP_502',
      undefined,
    ]);
  });

  it('maps every other reason to a permanent rejection with the reason as vendor code', () => {
    for (const [status, reason] of [
      [400, 'BadCollapseId'],
      [400, 'TopicDisallowed'],
      [400, 'BadPriority'],
      [404, 'BadPath'],
      [405, 'MethodNotAllowed'],
      [413, 'PayloadTooLarge'],
    ] as const) {
      assert.deepEqual(summary(status, { reason }), [
        'HERALD_VENDOR_REJECTED',
        false,
        false,
        reason,
        undefined,
      ]);
    }
    assert.deepEqual(summary(400, 'not json'), [
      'HERALD_VENDOR_REJECTED',
      false,
      false,
      'HTTP_400',
      undefined,
    ]);
    assert.deepEqual(summary(400, null), ['HERALD_VENDOR_REJECTED', false, false, 'HTTP_400', undefined]);
  });
});
