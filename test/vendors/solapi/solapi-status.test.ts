import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mapSolapiHttpError, redactNumbers } from '../../../src/vendors/solapi/solapi-api.ts';
import { deliveryCheckOf, mapSolapiStatus } from '../../../src/vendors/solapi/solapi-status.ts';

describe("SOLAPI's status codes", () => {
  it('maps registration refusals by code', () => {
    const cases: [string, string, boolean, boolean][] = [
      ['1062', 'HERALD_SENDER_NOT_REGISTERED', false, false],
      ['1041', 'HERALD_KAKAO_CHANNEL_NOT_REGISTERED', false, false],
      ['1042', 'HERALD_TEMPLATE_NOT_APPROVED', false, false],
      ['1030', 'HERALD_VENDOR_UNAVAILABLE', true, true],
      ['1020', 'HERALD_VENDOR_AUTH', false, true],
      ['1034', 'HERALD_VENDOR_REJECTED', true, false],
      ['1060', 'HERALD_VENDOR_REJECTED', false, false],
      ['9999', 'HERALD_VENDOR_REJECTED', false, false],
    ];
    for (const [status, code, retryable, vendorFault] of cases) {
      const error = mapSolapiStatus('solapi-sms', status, '');
      assert.deepEqual(
        [error.code, error.retryable, error.vendorFault, error.vendorCode],
        [code, retryable, vendorFault, status],
      );
    }
  });

  it('reads the list look-up: pending, delivered, and undelivered with or without fallback', () => {
    assert.deepEqual(deliveryCheckOf(undefined, 1), { state: 'pending' });
    assert.deepEqual(deliveryCheckOf({ statusCode: '3000' }, 1), { state: 'pending' });
    assert.deepEqual(deliveryCheckOf({ statusCode: '4000', dateReceived: '2026-12-01T00:00:00.000Z' }, 1), {
      state: 'delivered',
      at: Date.parse('2026-12-01T00:00:00.000Z'),
      code: '4000',
    });
    const nonUser = deliveryCheckOf({ statusCode: '3104', reason: '카카오톡 미사용자' }, 5);
    assert.deepEqual(nonUser, {
      state: 'undelivered',
      at: 5,
      code: '3104',
      message: '카카오톡 미사용자',
      fallback: true,
    });
    const mismatch = deliveryCheckOf({ statusCode: '3103' }, 5);
    assert.equal(mismatch.state === 'undelivered' && mismatch.fallback, false);
  });

  it("maps SOLAPI's HTTP errors: auth 403s, throttling, outages, refusals", () => {
    const answer = (status: number, errorCode?: string, headers = {}) => ({
      status,
      headers,
      body: errorCode ? { errorCode, errorMessage: 'x' } : undefined,
      text: '',
    });
    assert.equal(mapSolapiHttpError('v', answer(403, 'SignatureDoesNotMatch')).code, 'HERALD_VENDOR_AUTH');
    assert.equal(mapSolapiHttpError('v', answer(403, 'RequestTimeTooSkewed')).vendorFault, true);
    const throttled = mapSolapiHttpError('v', answer(429, 'TooManyRequests', { 'retry-after': '3' }));
    assert.deepEqual([throttled.code, throttled.retryAfterMs], ['HERALD_VENDOR_RATE_LIMITED', 3_000]);
    assert.equal(mapSolapiHttpError('v', answer(502)).code, 'HERALD_VENDOR_UNAVAILABLE');
    assert.equal(mapSolapiHttpError('v', answer(400, 'ValidationError')).retryable, false);
  });

  it('never carries a phone number from an error message', () => {
    assert.equal(redactNumbers('수신번호 01012345678 오류'), '수신번호 <number> 오류');
  });
});
