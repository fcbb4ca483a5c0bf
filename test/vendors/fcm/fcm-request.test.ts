import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildFcmRequest } from '../../../src/vendors/fcm/fcm-request.ts';
import { pushMessage } from './fcm-test-kit.ts';

const NOW = 1_800_000_000_000;

describe('buildFcmRequest', () => {
  it('puts title, body, image, data with the message id, and every option on the wire', () => {
    const message = pushMessage({
      messageId: 'm-1',
      to: 'tok:APA91b',
      body: 'Body',
      push: {
        provider: 'fcm',
        title: 'Title',
        expiresAt: NOW + 60_000,
        options: {
          image: 'https://img.example/a.png',
          data: { orderId: '42', herald_message_id: 'spoofed' },
          android: { priority: 'high', collapseKey: 'orders' },
          apns: { headers: { 'apns-priority': '5' }, payload: { aps: { badge: 3 } } },
          webpush: {
            headers: { TTL: '60' },
            data: { a: 'b' },
            notification: { icon: '/i.png' },
            link: 'https://x.example',
          },
        },
      },
    });
    assert.deepEqual(buildFcmRequest(message, NOW), {
      message: {
        token: 'tok:APA91b',
        notification: { title: 'Title', body: 'Body', image: 'https://img.example/a.png' },
        data: { orderId: '42', herald_message_id: 'm-1' },
        android: { priority: 'HIGH', ttl: '60s', collapse_key: 'orders' },
        apns: { headers: { 'apns-priority': '5' }, payload: { aps: { badge: 3 } } },
        webpush: {
          headers: { TTL: '60' },
          data: { a: 'b' },
          notification: { icon: '/i.png' },
          fcm_options: { link: 'https://x.example' },
        },
      },
    });
  });

  it('defaults the android ttl to the whole seconds left until expiry, and takes an explicit one', () => {
    const expiring = pushMessage({ push: { provider: 'fcm', options: {}, expiresAt: NOW + 90_500 } });
    assert.deepEqual((buildFcmRequest(expiring, NOW).message as { android: unknown }).android, {
      ttl: '91s',
    });
    const explicit = pushMessage({
      push: {
        provider: 'fcm',
        options: { android: { ttlSeconds: 30, priority: 'normal' } },
        expiresAt: NOW + 90_000,
      },
    });
    assert.deepEqual((buildFcmRequest(explicit, NOW).message as { android: unknown }).android, {
      priority: 'NORMAL',
      ttl: '30s',
    });
    const past = pushMessage({ push: { provider: 'fcm', options: {}, expiresAt: NOW - 5_000 } });
    assert.deepEqual((buildFcmRequest(past, NOW).message as { android: unknown }).android, { ttl: '0s' });
  });

  it('asks for a dry run with validate_only', () => {
    const message = pushMessage({
      push: { provider: 'fcm', options: { validateOnly: true }, expiresAt: NOW + 1_000 },
    });
    assert.equal(buildFcmRequest(message, NOW).validate_only, true);
  });

  it('falls back to the subject as title, and leaves out what is not given', () => {
    const { push: _push, ...plain } = pushMessage({ messageId: 'm-2', to: 't:1', subject: 'S', body: 'B' });
    assert.deepEqual(buildFcmRequest({ ...plain, expiresAt: undefined }, NOW), {
      message: { token: 't:1', notification: { title: 'S', body: 'B' }, data: { herald_message_id: 'm-2' } },
    });
  });
});
