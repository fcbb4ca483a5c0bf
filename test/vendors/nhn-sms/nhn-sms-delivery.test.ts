import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HeraldError } from '../../../src/core/domain/errors.ts';
import type { JsonResponse } from '../../../src/vendors/http1/json-http-client.ts';
import { mapNhnDelivery, nhnLookUpPath } from '../../../src/vendors/nhn-sms/nhn-sms-delivery.ts';

const NOW = Date.parse('2026-12-01T00:00:00Z');

function lookedUp(data: Record<string, unknown>): JsonResponse {
  const body = { header: { isSuccessful: true, resultCode: 0, resultMessage: 'SUCCESS' }, body: { data } };
  return { status: 200, headers: {}, body, text: JSON.stringify(body) };
}

describe('nhn-sms result look-up', () => {
  it('looks an SMS up under /sender/sms and an LMS/MMS under /sender/mms, by recipientSeq', () => {
    assert.equal(
      nhnLookUpPath('AppKey', '20180810100630ReZQ6KZzAH0:2'),
      '/sms/v3.0/appKeys/AppKey/sender/sms/20180810100630ReZQ6KZzAH0?recipientSeq=2',
    );
    assert.equal(
      nhnLookUpPath('AppKey', '20180810100630ReZQ6KZzAH0:1:mms'),
      '/sms/v3.0/appKeys/AppKey/sender/mms/20180810100630ReZQ6KZzAH0?recipientSeq=1',
    );
    assert.equal(nhnLookUpPath('AppKey', 'not-an-nhn-id'), undefined);
  });

  it('reads msgStatus 1, 2 and 7 as pending', () => {
    for (const msgStatus of ['1', '2', '7']) {
      assert.deepEqual(mapNhnDelivery('nhn-sms', lookedUp({ msgStatus }), NOW), { state: 'pending' });
    }
  });

  it('reads msgStatus 3 as delivered at the KST result date', () => {
    const check = mapNhnDelivery(
      'nhn-sms',
      lookedUp({
        msgStatus: '3',
        resultCode: '1000',
        resultDate: '2018-08-10 10:06:42.0',
        telecomCode: 10001,
        telecomCodeName: 'SKT',
      }),
      NOW,
    );
    assert.deepEqual(check, {
      state: 'delivered',
      at: Date.parse('2018-08-10T01:06:42Z'),
      code: '1000',
      carrier: 'SKT',
    });
  });

  it("reads a failure with the carrier's code, without a fallback", () => {
    const check = mapNhnDelivery(
      'nhn-sms',
      lookedUp({
        msgStatus: '0',
        resultCode: '3001',
        resultCodeName: '결번',
        msgStatusName: '실패',
        telecomCode: '10003',
        telecomCodeName: 'LGU',
      }),
      NOW,
    );
    assert.deepEqual(check, {
      state: 'undelivered',
      at: NOW,
      code: '3001',
      message: '결번',
      fallback: false,
      carrier: 'LGU+',
    });
    const cancelled = mapNhnDelivery('nhn-sms', lookedUp({ msgStatus: '4', msgStatusName: '예약취소' }), NOW);
    assert.equal(
      cancelled instanceof HeraldError ? '' : cancelled.state === 'undelivered' && cancelled.code,
      'MSG_STATUS_4',
    );
  });
});
