import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { MessageView, RequestView } from '../../src/ports/history-store.ts';
import { envelopes } from '../core/submission/fake-submission-context.ts';
import type { TestApp } from './test-app.ts';
import { auth, buildTestApp } from './test-app.ts';

const FCM = 'cWzJ1Q8gRmWb0mUuW9kK3X:APA91bHun4MxP5egoKMwt2KZFBaFUH-1RYqx0HQ7g2nQ8zQ6l0T5Jf7XwU3y6iVdP0y8kQx';

const pushBody = (extra: Record<string, unknown> = {}) => ({
  channel: 'push',
  lane: 'realtime',
  content: { subject: '배송 시작', body: '주문하신 상품이 출발했습니다' },
  recipients: [{ userId: 'member-4711' }, { token: FCM, app: 'com.shop.android' }],
  ...extra,
});

/** POST /v1/messages, push to users and tokens, with push options, and the views of the device messages. */
describe('public API: push to users and push options', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.app.close());

  const post = (payload: object) =>
    t.app.inject({ method: 'POST', url: '/v1/messages', headers: auth(), payload });

  it('accepts userId and token recipients with push options', async () => {
    const before = t.submission.produced.length;
    const push = {
      image: 'https://cdn.example.com/box.png',
      data: { orderId: '42' },
      android: { priority: 'high', ttlSeconds: 3600 },
      apns: { headers: { 'apns-push-type': 'alert' }, payload: { aps: { badge: 1 } } },
    };
    const response = await post(pushBody({ push }));
    assert.equal(response.statusCode, 202, response.body);
    assert.equal(response.json().accepted, 2);
    const [user, token] = envelopes(t.submission.produced.slice(before));
    assert.deepEqual([user?.to, user?.userId, user?.push], ['', 'member-4711', push]);
    assert.deepEqual([token?.to, token?.pushProvider, token?.pushApp], [FCM, 'fcm', 'com.shop.android']);
  });

  it('answers 400 naming the field for a bad push option or recipient form', async () => {
    const cases: [object, RegExp][] = [
      [
        pushBody({ push: { image: 'http://cdn.example.com/a.png' } }),
        /^push\.image must be an https:\/\/ URL/,
      ],
      [pushBody({ push: { sound: 'ding' } }), /^push\.sound is not a known field/],
      [
        pushBody({ push: { android: { ttlSeconds: 2_419_201 } } }),
        /^push\.android\.ttlSeconds must be <= 2419200/,
      ],
      [pushBody({ push: { data: { from: 'x' } } }), /^push\.data\["from"\] is a key FCM reserves/],
      [
        pushBody({ recipients: [{ userId: 'u1', provider: 'fcm' }] }),
        /^recipients\[0\]\.provider does not apply/,
      ],
      [pushBody({ recipients: [{ userId: '' }] }), /^recipients\[0\]\.userId must not be empty/],
      [
        { ...pushBody(), channel: 'sms', recipients: [{ userId: 'u1' }] },
        /^recipients\[0\]\.userId applies to push only/,
      ],
      [
        { ...pushBody(), channel: 'sms', recipients: [{ to: '01012345678' }], push: {} },
        /^push applies to channel push only/,
      ],
    ];
    for (const [payload, message] of cases) {
      const response = await post(payload);
      assert.equal(response.statusCode, 400, response.body);
      assert.equal(response.json().error.code, 'HERALD_VALIDATION_FAILED');
      assert.match(response.json().error.message, message);
    }
  });

  it('answers 400 HERALD_BODY_TOO_LONG when title, body and options are over 4096 bytes', async () => {
    const response = await post(pushBody({ push: { data: { blob: 'x'.repeat(4000) } } }));
    assert.equal(response.statusCode, 400, response.body);
    assert.equal(response.json().error.code, 'HERALD_BODY_TOO_LONG');
    assert.match(response.json().error.message, /push payload .* over 4096 bytes, the limit of FCM and APNs/);
  });

  it('shows the device messages of a push to a user in the request and message views', async () => {
    const device = {
      messageId: 'm-1-d1',
      recipient: 'cWzJ1Q****',
      status: 'sent' as const,
      vendor: 'fcm',
      attempts: 1,
      error: null,
    };
    const request: RequestView = {
      requestId: 'req-push',
      clientId: 'shop',
      channel: 'push',
      lane: 'realtime',
      acceptedAt: 1,
      messages: [
        {
          index: 0,
          messageId: 'm-1',
          status: 'expanded',
          vendor: null,
          attempts: 1,
          error: null,
          duplicate: false,
          devices: [device],
        },
      ],
    };
    t.requests.set('req-push', request);
    const view = await t.app.inject({ method: 'GET', url: '/v1/requests/req-push', headers: auth() });
    assert.equal(view.statusCode, 200);
    assert.deepEqual(view.json().messages[0].devices, [device]);

    const parent: MessageView = {
      messageId: 'm-1',
      requestId: 'req-push',
      clientId: 'shop',
      channel: 'push',
      lane: 'realtime',
      recipient: 'user:me****',
      status: 'expanded',
      vendor: null,
      attempts: 1,
      error: null,
      createdAt: 1,
      updatedAt: 2,
      events: [],
      devices: [device],
    };
    t.messages.set('m-1', parent);
    t.messages.set('m-1-d1', { ...parent, messageId: 'm-1-d1', devices: undefined, parentMessageId: 'm-1' });
    const parentView = await t.app.inject({ method: 'GET', url: '/v1/messages/m-1', headers: auth() });
    assert.deepEqual(parentView.json().devices, [device]);
    const childView = await t.app.inject({ method: 'GET', url: '/v1/messages/m-1-d1', headers: auth() });
    assert.equal(childView.json().parentMessageId, 'm-1');
    assert.equal('devices' in childView.json(), false);
  });
});
