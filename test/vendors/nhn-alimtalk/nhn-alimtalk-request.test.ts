import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HeraldError } from '../../../src/core/domain/errors.ts';
import {
  buildNhnAlimtalkSend,
  nhnAlimtalkBulkKey,
  nhnAlimtalkPath,
  nhnHeaders,
  nhnIdempotencyKey,
  toNhnButton,
} from '../../../src/vendors/nhn-alimtalk/nhn-alimtalk-request.ts';
import { alimtalkMessage, TEMPLATE_CODE, VENDOR_ID } from './nhn-alimtalk-test-kit.ts';

describe('NHN AlimTalk send request', () => {
  it("carries this vendor's sender key, template code, variables and herald's message id", () => {
    const message = alimtalkMessage('k'.repeat(40));
    const body = buildNhnAlimtalkSend(VENDOR_ID, message);
    assert.deepEqual(body, {
      senderKey: 'k'.repeat(40),
      templateCode: TEMPLATE_CODE,
      recipientList: [
        {
          recipientNo: message.to,
          templateParameter: { name: '홍길동', invoice: '1234' },
          resendParameter: { isResend: false },
          recipientGroupingKey: message.messageId,
        },
      ],
    });
  });

  it("turns NHN's own fallback off explicitly, and names the template's buttons by ordering", () => {
    const message = alimtalkMessage('key');
    const buttons = [
      { type: 'WL', name: '배송 조회', linkMobile: 'https://example.com' },
      { type: 'AC', name: '채널 추가' },
    ];
    const [recipient] = buildNhnAlimtalkSend(VENDOR_ID, {
      ...message,
      kakao: { ...message.kakao!, variables: {}, buttons },
    }).recipientList;
    assert.deepEqual(recipient!.resendParameter, { isResend: false });
    assert.deepEqual(recipient!.buttons, [{ ordering: 1 }, { ordering: 2 }]);
    assert.equal('templateParameter' in recipient!, false);
  });

  it('refuses a message without a sender key or template code for this vendor id', () => {
    const message = alimtalkMessage('key');
    const code = (build: () => unknown) => {
      try {
        build();
      } catch (error) {
        return (error as HeraldError).code;
      }
      return assert.fail('it should have thrown');
    };
    const otherVendor = { ...message.kakao!, senderIds: { 'sens-alimtalk': 'x' } };
    assert.equal(
      code(() => buildNhnAlimtalkSend(VENDOR_ID, { ...message, kakao: otherVendor })),
      'HERALD_KAKAO_CHANNEL_NOT_REGISTERED',
    );
    assert.equal(
      code(() =>
        buildNhnAlimtalkSend(VENDOR_ID, { ...message, kakao: { ...message.kakao!, templateCodes: {} } }),
      ),
      'HERALD_TEMPLATE_NOT_APPROVED',
    );
    const { kakao: _, ...withoutKakao } = message;
    assert.equal(
      code(() => buildNhnAlimtalkSend(VENDOR_ID, withoutKakao)),
      'HERALD_KAKAO_CHANNEL_NOT_REGISTERED',
    );
  });

  it('puts the appkey in the path and the secret and idempotency keys in headers', () => {
    assert.equal(nhnAlimtalkPath('app/key', '/messages'), '/alimtalk/v2.3/appkeys/app%2Fkey/messages');
    assert.deepEqual(nhnHeaders('s3cret', 'idem'), {
      'x-secret-key': 's3cret',
      'x-nc-api-idempotency-key': 'idem',
    });
    assert.deepEqual(nhnHeaders('s3cret'), { 'x-secret-key': 's3cret' });
  });

  it("maps herald's button to NHN's template button, links only where given", () => {
    assert.deepEqual(
      toNhnButton({ type: 'AL', name: '앱', schemeIos: 'ios://a', schemeAndroid: 'and://a' }, 2),
      {
        ordering: 3,
        type: 'AL',
        name: '앱',
        schemeIos: 'ios://a',
        schemeAndroid: 'and://a',
      },
    );
  });

  it('puts every message of a bulk call in recipientList, each with its own parameters and key', () => {
    const first = alimtalkMessage('k'.repeat(40));
    const second = alimtalkMessage('k'.repeat(40), {
      kakao: { ...first.kakao!, variables: { name: '김철수', invoice: '5678' } },
    });
    const body = buildNhnAlimtalkSend(VENDOR_ID, [first, second]);
    assert.deepEqual(
      body.recipientList.map((recipient) => [
        recipient.recipientNo,
        recipient.templateParameter,
        recipient.recipientGroupingKey,
      ]),
      [
        [first.to, { name: '홍길동', invoice: '1234' }, first.messageId],
        [second.to, { name: '김철수', invoice: '5678' }, second.messageId],
      ],
    );
    assert.equal(nhnAlimtalkBulkKey(VENDOR_ID, first), nhnAlimtalkBulkKey(VENDOR_ID, second));
    const otherTemplate = { ...first.kakao!, templateCodes: { [VENDOR_ID]: 'OTHER' } };
    assert.notEqual(
      nhnAlimtalkBulkKey(VENDOR_ID, first),
      nhnAlimtalkBulkKey(VENDOR_ID, { ...first, kakao: otherTemplate }),
    );
  });

  it("keys a bulk call's idempotency by its set of messages, in any order; one message by its own key", () => {
    const [a, b, c] = [alimtalkMessage('k'), alimtalkMessage('k'), alimtalkMessage('k')];
    assert.equal(nhnIdempotencyKey([a]), a.idempotencyKey);
    assert.equal(nhnIdempotencyKey([a, b, c]), nhnIdempotencyKey([c, a, b]));
    assert.notEqual(nhnIdempotencyKey([a, b]), nhnIdempotencyKey([a, b, c]));
    assert.match(nhnIdempotencyKey([a, b]), /^bulk-[0-9a-f]{64}$/);
  });
});
