import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HeraldError } from '../../../src/core/domain/errors.ts';
import type { OutboundMessage } from '../../../src/core/domain/message.ts';
import type { PushDelivery } from '../../../src/core/domain/push-message.ts';
import { type ApnsRequest, buildApnsRequest } from '../../../src/vendors/apns/apns-request.ts';

const TOKEN = 'a1'.repeat(32);
const MESSAGE_ID = '019a0000-0000-7000-8000-000000000001';

function message(push: Partial<PushDelivery> = {}, fields: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    messageId: MESSAGE_ID,
    idempotencyKey: 'k',
    channel: 'push',
    to: TOKEN,
    body: 'Your order is on its way',
    attempt: 1,
    push: {
      provider: 'apns',
      app: 'com.example.shop',
      title: 'Order',
      options: {},
      expiresAt: 1_800_000_000_500,
      ...push,
    },
    ...fields,
  };
}

function built(outbound: OutboundMessage, defaultTopic?: string): ApnsRequest {
  const request = buildApnsRequest(outbound, { vendorId: 'apns', defaultTopic });
  assert.ok(!(request instanceof HeraldError), String(request));
  return request;
}

function refused(outbound: OutboundMessage, defaultTopic?: string): HeraldError {
  const request = buildApnsRequest(outbound, { vendorId: 'apns', defaultTopic });
  assert.ok(request instanceof HeraldError);
  return request;
}

describe('buildApnsRequest', () => {
  it('builds an alert push: path, headers and payload', () => {
    const request = built(message());
    assert.equal(request.path, `/3/device/${TOKEN}`);
    assert.deepEqual(request.headers, {
      'apns-topic': 'com.example.shop',
      'apns-push-type': 'alert',
      'apns-priority': '10',
      'apns-id': MESSAGE_ID,
      'apns-expiration': '1800000000',
      'content-type': 'application/json',
    });
    assert.deepEqual(JSON.parse(request.body), {
      aps: { alert: { title: 'Order', body: 'Your order is on its way' } },
    });
  });

  it("takes the vendor's default topic when the device has no app, and refuses without either", () => {
    assert.equal(
      built(message({ app: undefined }), 'com.example.default').headers['apns-topic'],
      'com.example.default',
    );
    const error = refused(message({ app: undefined }));
    assert.equal(error.code, 'HERALD_VENDOR_REJECTED');
    assert.equal(error.vendorCode, 'MissingTopic');
    assert.equal(error.retryable, false);
  });

  it('sends a content-only message as a background push at priority 5', () => {
    const request = built(message({ title: undefined, options: { data: { orderId: '42' } } }, { body: '' }));
    assert.equal(request.headers['apns-push-type'], 'background');
    assert.equal(request.headers['apns-priority'], '5');
    assert.deepEqual(JSON.parse(request.body), { aps: { 'content-available': 1 }, orderId: '42' });
  });

  it('merges aps options, custom keys and data; none of them replaces aps', () => {
    const request = built(
      message({
        options: {
          image: 'https://cdn.example.com/a.png',
          data: { orderId: '42', aps: 'ignored' },
          apns: {
            payload: { aps: { badge: 3, sound: 'default', 'thread-id': 'orders' }, campaign: { id: 7 } },
          },
        },
      }),
    );
    assert.deepEqual(JSON.parse(request.body), {
      aps: {
        alert: { title: 'Order', body: 'Your order is on its way' },
        'mutable-content': 1,
        badge: 3,
        sound: 'default',
        'thread-id': 'orders',
      },
      orderId: '42',
      campaign: { id: 7 },
      image: 'https://cdn.example.com/a.png',
    });
  });

  it('lets push.apns.headers override the defaults but not the headers herald owns', () => {
    const request = built(
      message({
        options: {
          apns: {
            headers: {
              'APNS-Priority': '5',
              'apns-collapse-id': 'order-42',
              'apns-id': 'not-ours',
              authorization: 'bearer forged',
              ':path': '/elsewhere',
            },
          },
        },
      }),
    );
    assert.equal(request.headers['apns-priority'], '5');
    assert.equal(request.headers['apns-collapse-id'], 'order-42');
    assert.equal(request.headers['apns-id'], MESSAGE_ID);
    assert.equal(request.headers.authorization, undefined);
    assert.equal(request.headers[':path'], undefined);
    assert.equal(request.path, `/3/device/${TOKEN}`);
  });

  it('takes the expiry of the message when there is no push delivery, and omits the header without either', () => {
    const plain = message({}, { push: undefined, expiresAt: 1_700_000_000_999 });
    assert.equal(built(plain, 'com.example.default').headers['apns-expiration'], '1700000000');
    const bare = built({ ...plain, expiresAt: undefined }, 'com.example.default');
    assert.equal(bare.headers['apns-expiration'], undefined);
  });

  it('refuses a collapse id over 64 bytes and a payload over 4096 bytes before sending', () => {
    const longId = refused(
      message({ options: { apns: { headers: { 'apns-collapse-id': 'é'.repeat(33) } } } }),
    );
    assert.deepEqual([longId.code, longId.vendorCode], ['HERALD_VENDOR_REJECTED', 'BadCollapseId']);
    assert.ok(
      !(
        buildApnsRequest(
          message({ options: { apns: { headers: { 'apns-collapse-id': 'x'.repeat(64) } } } }),
          { vendorId: 'a' },
        ) instanceof HeraldError
      ),
    );
    const big = refused(message({}, { body: '가'.repeat(1_400) }));
    assert.deepEqual(
      [big.code, big.vendorCode, big.retryable],
      ['HERALD_VENDOR_REJECTED', 'PayloadTooLarge', false],
    );
    assert.match(big.message, /over 4096/);
  });

  it('accepts a payload of exactly 4096 bytes', () => {
    const overhead = Buffer.byteLength(JSON.stringify({ aps: { alert: { title: 'Order', body: '' } } }));
    const request = built(message({}, { body: 'x'.repeat(4_096 - overhead) }));
    assert.equal(Buffer.byteLength(request.body), 4_096);
  });

  it('refuses a token that is not hex as an invalid recipient, not a dead one', () => {
    for (const to of ['', 'not-hex', `${TOKEN}/../x`]) {
      const error = refused(message({}, { to }));
      assert.deepEqual(
        [error.code, error.vendorCode, error.retryable],
        ['HERALD_RECIPIENT_INVALID', 'BadDeviceToken', false],
      );
    }
  });
});
