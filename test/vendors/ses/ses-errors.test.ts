import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HeraldError } from '../../../src/core/domain/errors.ts';
import { mapSesError, SES_RATE_LIMIT_RETRY_MS } from '../../../src/vendors/ses/ses-errors.ts';

/** An SDK service exception as @aws-sdk/client-sesv2 throws it: its name and HTTP status. */
const sdkError = (name: string, status: number) =>
  Object.assign(new Error('whatever SES said'), {
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
  });
const live = new AbortController().signal;
const map = (error: unknown) => mapSesError('ses', error, live, false);

describe('SES v2 errors in herald terms', () => {
  const cases: [string, number, string, boolean, boolean][] = [
    // name, status, herald code, retryable, vendorFault
    ['MessageRejected', 400, 'HERALD_VENDOR_REJECTED', false, false],
    ['BadRequestException', 400, 'HERALD_VENDOR_REJECTED', false, false],
    ['MailFromDomainNotVerifiedException', 400, 'HERALD_VENDOR_UNAVAILABLE', true, true],
    ['AccountSuspendedException', 400, 'HERALD_VENDOR_UNAVAILABLE', true, true],
    ['SendingPausedException', 400, 'HERALD_VENDOR_UNAVAILABLE', true, true],
    ['NotFoundException', 404, 'HERALD_VENDOR_UNAVAILABLE', true, true],
    ['TooManyRequestsException', 429, 'HERALD_VENDOR_RATE_LIMITED', true, false],
    ['LimitExceededException', 400, 'HERALD_VENDOR_RATE_LIMITED', true, false],
    ['SignatureDoesNotMatch', 403, 'HERALD_VENDOR_AUTH', false, true],
    ['UnrecognizedClientException', 403, 'HERALD_VENDOR_AUTH', false, true],
    ['InternalFailure', 500, 'HERALD_VENDOR_UNAVAILABLE', true, true],
    ['ServiceUnavailable', 503, 'HERALD_VENDOR_UNAVAILABLE', true, true],
  ];
  for (const [name, status, code, retryable, vendorFault] of cases) {
    it(`${status} ${name} -> ${code}`, () => {
      const error = map(sdkError(name, status));
      assert.equal(error.code, code);
      assert.equal(error.retryable, retryable);
      assert.equal(error.vendorFault, vendorFault);
      assert.equal(error.vendorCode, name);
      if (code === 'HERALD_VENDOR_RATE_LIMITED') assert.equal(error.retryAfterMs, SES_RATE_LIMIT_RETRY_MS);
    });
  }

  it('a failure without an HTTP answer is a retryable transport failure; an abort keeps its reason', () => {
    const refused = map(
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED', $metadata: {} }),
    );
    assert.equal(refused.code, 'HERALD_VENDOR_UNAVAILABLE');
    assert.equal(refused.vendorCode, 'ECONNREFUSED');
    assert.equal(refused.retryable, true);
    const reason = new HeraldError('HERALD_VENDOR_TIMEOUT', 'too slow', { retryable: true });
    const aborted = AbortSignal.abort(reason);
    assert.equal(mapSesError('ses', new Error('aborted'), aborted, false), reason);
    assert.equal(
      mapSesError('ses', sdkError('MessageRejected', 400), live, true).vendorCode,
      'CLIENT_CLOSED',
    );
  });
});
