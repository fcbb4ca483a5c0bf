import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HeraldError } from '../../../src/core/domain/errors.ts';
import type { JsonResponse } from '../../../src/vendors/http1/json-http-client.ts';
import {
  kstDate,
  mapNhnLookup,
  parseNhnMessageId,
} from '../../../src/vendors/nhn-alimtalk/nhn-alimtalk-lookup.ts';
import {
  mapNhnSendResponse,
  mapNhnSendResults,
} from '../../../src/vendors/nhn-alimtalk/nhn-alimtalk-response.ts';

function reply(body: unknown, status = 200, headers: Record<string, string> = {}): JsonResponse {
  return { status, headers, body, text: body === undefined ? '' : JSON.stringify(body) };
}
const header = (resultCode: number, resultMessage = '') => ({
  resultCode,
  resultMessage,
  isSuccessful: resultCode === 0,
});
const sent = (resultCode: number, top = resultCode === 0 ? 0 : -1031) => ({
  header: header(top),
  message: {
    requestId: '20180810100630ReZQ6KZzAH0',
    sendResults: [{ recipientSeq: 1, resultCode, resultMessage: 'm' }],
  },
});
const error = (value: unknown): HeraldError => {
  assert.ok(value instanceof HeraldError, `expected a HeraldError, got ${JSON.stringify(value)}`);
  return value;
};

describe('NHN AlimTalk send response mapping', () => {
  it('makes the receipt carry requestId and recipientSeq', () => {
    assert.deepEqual(mapNhnSendResponse('nhn', reply(sent(0))), {
      vendorMessageId: '20180810100630ReZQ6KZzAH0:1',
    });
  });

  it("classifies by the recipient's own code when the call failed for every recipient", () => {
    const invalid = error(mapNhnSendResponse('nhn', reply(sent(-4019))));
    assert.deepEqual(
      [invalid.code, invalid.vendorCode, invalid.retryable],
      ['HERALD_RECIPIENT_INVALID', '-4019', false],
    );
    assert.equal(error(mapNhnSendResponse('nhn', reply(sent(-3033)))).code, 'HERALD_VENDOR_REJECTED');
  });

  it('fails a wrong appkey or secret key for good, as the vendor fault', () => {
    for (const code of [-1000, -1001, -4004, -4005]) {
      const failure = error(mapNhnSendResponse('nhn', reply({ header: header(code, 'Invalid secretKey.') })));
      assert.deepEqual(
        [failure.code, failure.retryable, failure.vendorFault, failure.vendorCode],
        ['HERALD_VENDOR_AUTH', false, true, String(code)],
      );
    }
    assert.equal(error(mapNhnSendResponse('nhn', reply(undefined, 401))).code, 'HERALD_VENDOR_AUTH');
  });

  it('maps template, channel and duplicate refusals to their permanent codes', () => {
    const cases: [number, string][] = [
      [-3005, 'HERALD_TEMPLATE_NOT_APPROVED'],
      [-3003, 'HERALD_TEMPLATE_NOT_FOUND'],
      [-2017, 'HERALD_KAKAO_CHANNEL_NOT_REGISTERED'],
      [-1005, 'HERALD_VENDOR_REJECTED'],
      [-2001, 'HERALD_VENDOR_REJECTED'],
    ];
    for (const [code, expected] of cases) {
      const failure = error(mapNhnSendResponse('nhn', reply({ header: header(code) })));
      assert.deepEqual(
        [failure.code, failure.retryable, failure.vendorFault],
        [expected, false, false],
        String(code),
      );
    }
  });

  it("retries NHN's system errors, 5xx and bodies that are not its envelope, as its fault", () => {
    for (const response of [
      reply({ header: header(-9999) }),
      reply({ header: header(-9999) }, 500),
      reply({ header: header(-9998) }, 404),
      reply(undefined, 503),
      reply(undefined, 200),
    ]) {
      const failure = error(mapNhnSendResponse('nhn', response));
      assert.deepEqual(
        [failure.code, failure.retryable, failure.vendorFault],
        ['HERALD_VENDOR_UNAVAILABLE', true, true],
      );
    }
  });

  it('waits out a 429 as long as Retry-After says, else a second', () => {
    const told = error(mapNhnSendResponse('nhn', reply(undefined, 429, { 'retry-after': '3' })));
    assert.deepEqual(
      [told.code, told.retryAfterMs, told.retryable],
      ['HERALD_VENDOR_RATE_LIMITED', 3_000, true],
    );
    assert.equal(error(mapNhnSendResponse('nhn', reply(undefined, 429))).retryAfterMs, 1_000);
  });

  it("maps a bulk call's sendResults to each message by recipientGroupingKey, else by place", () => {
    const result = (seq: number, key: string | undefined, resultCode: number) => ({
      recipientSeq: seq,
      resultCode,
      resultMessage: 'm',
      ...(key === undefined ? {} : { recipientGroupingKey: key }),
    });
    const body = {
      header: header(0),
      message: {
        requestId: 'R',
        // NHN's order is its own: the key, not the place, names the message.
        sendResults: [result(2, 'b', -4019), result(1, 'a', 0), result(3, undefined, 0)],
      },
    };
    const results = mapNhnSendResults('nhn', reply(body), ['a', 'b', 'c']);
    assert.ok(Array.isArray(results));
    assert.deepEqual(results[0], { vendorMessageId: 'R:1' });
    assert.equal(error(results[1]).code, 'HERALD_RECIPIENT_INVALID');
    assert.deepEqual(results[2], { vendorMessageId: 'R:3' });
  });

  it('fails a bulk call whole when NHN refused the request itself', () => {
    const failure = error(mapNhnSendResults('nhn', reply({ header: header(-9999) }, 500), ['a', 'b']));
    assert.equal(failure.retryable, true);
  });

  it('does not take a success without a requestId', () => {
    const failure = error(
      mapNhnSendResponse('nhn', reply({ header: header(0), message: { sendResults: [] } })),
    );
    assert.equal(failure.vendorCode, 'MALFORMED_RESPONSE');
  });
});

describe('NHN AlimTalk look-up mapping', () => {
  const looked = (message: Record<string, unknown>) => reply({ header: header(0), message });

  it('reads Kakao 1000 as delivered at the receive date (Korea time)', () => {
    const check = mapNhnLookup(
      'nhn',
      looked({ messageStatus: 'COMPLETED', resultCode: '1000', receiveDate: '2026-12-01 21:00:05' }),
    );
    assert.deepEqual(check, { state: 'delivered', at: Date.parse('2026-12-01T12:00:05Z'), code: '1000' });
  });

  it('lets the fallback take over for 3018, 3019 and 3020 only', () => {
    for (const [code, fallback] of [
      ['3018', true],
      ['3019', true],
      ['3020', true],
      ['3016', false],
      ['3008', false],
    ] as const) {
      const check = mapNhnLookup(
        'nhn',
        looked({ messageStatus: 'FAILED', resultCode: code, resultCodeName: 'n' }),
        5,
      );
      assert.deepEqual(check, { state: 'undelivered', at: 5, code, message: 'n', fallback });
    }
  });

  it('answers pending while NHN has no final status or code, or no row yet (-1016)', () => {
    assert.deepEqual(mapNhnLookup('nhn', looked({ messageStatus: 'READY', resultCode: null })), {
      state: 'pending',
    });
    assert.deepEqual(mapNhnLookup('nhn', looked({ messageStatus: 'COMPLETED' })), { state: 'pending' });
    assert.deepEqual(mapNhnLookup('nhn', reply({ header: header(-1016) })), { state: 'pending' });
  });

  it('reads a cancelled send as undelivered without fallback', () => {
    const check = mapNhnLookup('nhn', looked({ messageStatus: 'CANCEL' }), 7);
    assert.deepEqual(check, {
      state: 'undelivered',
      at: 7,
      code: 'CANCEL',
      message: 'The send was cancelled at NHN',
      fallback: false,
    });
  });

  it('fails the look-up itself on auth and outages', () => {
    assert.equal(error(mapNhnLookup('nhn', reply({ header: header(-1001) }))).code, 'HERALD_VENDOR_AUTH');
    assert.equal(error(mapNhnLookup('nhn', reply(undefined, 502))).code, 'HERALD_VENDOR_UNAVAILABLE');
  });

  it('splits the receipt id back, and refuses one it did not make', () => {
    assert.deepEqual(parseNhnMessageId('abc:12'), { requestId: 'abc', recipientSeq: 12 });
    for (const bad of ['abc', ':1', 'abc:0', 'abc:x'])
      assert.throws(() => parseNhnMessageId(bad), HeraldError);
    assert.equal(kstDate('not a date'), undefined);
  });
});
