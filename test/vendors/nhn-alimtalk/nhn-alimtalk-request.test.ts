import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HeraldError } from '../../../src/core/domain/errors.ts';
import {
  buildNhnAlimtalkSend,
  nhnAlimtalkPath,
  nhnHeaders,
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
});
