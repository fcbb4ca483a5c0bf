import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HeraldError } from '../../../src/core/domain/errors.ts';
import type { JsonResponse } from '../../../src/vendors/http1/json-http-client.ts';
import { mapNhnSendAnswer, nhnDataOf } from '../../../src/vendors/nhn-sms/nhn-sms-response.ts';

const header = (resultCode: number, resultMessage = 'x') => ({
  isSuccessful: resultCode === 0,
  resultCode,
  resultMessage,
});

function answer(body: unknown, status = 200, headers: Record<string, string> = {}): JsonResponse {
  return { status, headers, body, text: JSON.stringify(body) };
}

function sent(resultCode: number, recipientSeq = 1): JsonResponse {
  return answer({
    header: header(0),
    body: {
      data: {
        requestId: '20180810100630ReZQ6KZzAH0',
        statusCode: '2',
        sendResultList: [{ recipientNo: '01000000000', resultCode, resultMessage: 'r', recipientSeq }],
      },
    },
  });
}

function failure(result: ReturnType<typeof mapNhnSendAnswer>): HeraldError {
  assert.ok(result instanceof HeraldError, 'expected a HeraldError');
  return result;
}

describe('nhn-sms answer mapping', () => {
  it('returns requestId:recipientSeq for an accepted recipient', () => {
    assert.deepEqual(mapNhnSendAnswer('nhn-sms', sent(0, 3)), {
      vendorMessageId: '20180810100630ReZQ6KZzAH0:3',
    });
  });

  it("maps a recipient's -2019 to HERALD_RECIPIENT_INVALID, for good", () => {
    const error = failure(mapNhnSendAnswer('nhn-sms', sent(-2019)));
    assert.equal(error.code, 'HERALD_RECIPIENT_INVALID');
    assert.equal(error.retryable, false);
    assert.equal(error.vendorCode, '-2019');
  });

  for (const code of [-2015, -2023, -2016, -2024, -6003, 4]) {
    it(`maps ${code} to HERALD_VENDOR_REJECTED, not retryable, not the vendor's fault`, () => {
      const error = failure(mapNhnSendAnswer('nhn-sms', answer({ header: header(code) })));
      assert.equal(error.code, 'HERALD_VENDOR_REJECTED');
      assert.equal(error.retryable, false);
      assert.equal(error.vendorFault, false);
      assert.equal(error.vendorCode, String(code));
    });
  }

  for (const code of [-1000, -1004, -1008]) {
    it(`maps ${code} (refused account or key) to HERALD_VENDOR_AUTH, the vendor's fault`, () => {
      const error = failure(mapNhnSendAnswer('nhn-sms', answer({ header: header(code) })));
      assert.equal(error.code, 'HERALD_VENDOR_AUTH');
      assert.equal(error.retryable, false);
      assert.equal(error.vendorFault, true);
    });
  }

  it("maps HTTP 401 without NHN's header to HERALD_VENDOR_AUTH", () => {
    const error = failure(mapNhnSendAnswer('nhn-sms', answer(undefined, 401)));
    assert.equal(error.code, 'HERALD_VENDOR_AUTH');
    assert.equal(error.vendorCode, 'HTTP_401');
  });

  it('maps -2312 (sendNo not registered) to HERALD_SENDER_NOT_REGISTERED', () => {
    const error = failure(mapNhnSendAnswer('nhn-sms', answer({ header: header(-2312) })));
    assert.equal(error.code, 'HERALD_SENDER_NOT_REGISTERED');
    assert.equal(error.retryable, false);
  });

  for (const code of [-9999, -2021, -2052]) {
    it(`maps ${code} to a retryable HERALD_VENDOR_UNAVAILABLE, the vendor's fault`, () => {
      const error = failure(mapNhnSendAnswer('nhn-sms', answer({ header: header(code) })));
      assert.equal(error.code, 'HERALD_VENDOR_UNAVAILABLE');
      assert.equal(error.retryable, true);
      assert.equal(error.vendorFault, true);
    });
  }

  it('maps HTTP 500 to a retryable outage keeping the header code', () => {
    const error = failure(mapNhnSendAnswer('nhn-sms', answer({ header: header(-9999) }, 500)));
    assert.equal(error.code, 'HERALD_VENDOR_UNAVAILABLE');
    assert.equal(error.vendorCode, '-9999');
    const bare = failure(mapNhnSendAnswer('nhn-sms', answer(undefined, 502)));
    assert.equal(bare.vendorCode, 'HTTP_502');
  });

  it('maps 429 to HERALD_VENDOR_RATE_LIMITED after Retry-After, else a second', () => {
    const told = failure(mapNhnSendAnswer('nhn-sms', answer(undefined, 429, { 'retry-after': '3' })));
    assert.equal(told.code, 'HERALD_VENDOR_RATE_LIMITED');
    assert.equal(told.retryable, true);
    assert.equal(told.retryAfterMs, 3_000);
    assert.equal(failure(mapNhnSendAnswer('nhn-sms', answer(undefined, 429))).retryAfterMs, 1_000);
  });

  it('treats a success without a result as the vendor failing', () => {
    const error = failure(mapNhnSendAnswer('nhn-sms', answer({ header: header(0), body: { data: {} } })));
    assert.equal(error.code, 'HERALD_VENDOR_UNAVAILABLE');
    assert.equal(error.vendorCode, 'MALFORMED_RESPONSE');
  });

  it("reads an upload's data, or its refusal", () => {
    const data = nhnDataOf('nhn-sms', answer({ header: header(0), body: { data: { fileId: 178576 } } }));
    assert.deepEqual(data, { fileId: 178576 });
    const refused = nhnDataOf('nhn-sms', answer({ header: header(-2003) }));
    assert.ok(refused instanceof HeraldError);
    assert.equal(refused.code, 'HERALD_VENDOR_REJECTED');
  });
});
