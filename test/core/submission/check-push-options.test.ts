import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HeraldError } from '../../../src/core/domain/errors.ts';
import type { PushOptions } from '../../../src/core/domain/push-message.ts';
import { checkPushOptions } from '../../../src/core/submission/check-push-options.ts';
import type { SubmissionRequest } from '../../../src/core/submission/submission-types.ts';
import { submitMessages } from '../../../src/core/submission/submit-messages.ts';
import { envelopes, fakeSubmission } from './fake-submission-context.ts';

const FCM = 'cWzJ1Q8gRmWb0mUuW9kK3X:APA91bHun4MxP5egoKMwt2KZFBaFUH-1RYqx0HQ7g2nQ8zQ6l0T5Jf7XwU3y6iVdP0y8kQx';

/** The field and message of the refusal of `push`, or undefined when it passes. */
function problem(push: PushOptions, channel: SubmissionRequest['channel'] = 'push') {
  try {
    checkPushOptions({ channel, push });
    return undefined;
  } catch (error) {
    assert.ok(error instanceof HeraldError);
    assert.equal(error.code, 'HERALD_VALIDATION_FAILED');
    return `${error.field}: ${error.message}`;
  }
}

const request = (push: PushOptions, body = '주문하신 상품이 출발했습니다'): SubmissionRequest => ({
  clientId: 'shop',
  channel: 'push',
  lane: 'realtime',
  content: { subject: '배송 시작', body },
  recipients: [{ to: FCM }],
  push,
});

describe('checkPushOptions', () => {
  it('takes every documented option', () => {
    const everything: PushOptions = {
      image: 'https://cdn.example.com/box.png',
      data: { orderId: '42', deepLink: 'shop://orders/42' },
      android: { priority: 'high', ttlSeconds: 28 * 24 * 3600, collapseKey: 'order-42' },
      apns: {
        headers: { 'apns-priority': '5', 'apns-push-type': 'alert', 'apns-collapse-id': 'order-42' },
        payload: { aps: { badge: 3, sound: 'default' }, orderId: '42' },
      },
      webpush: { headers: { TTL: '60', Urgency: 'high' }, link: 'https://shop.example.com/orders/42' },
      validateOnly: true,
    };
    assert.equal(problem(everything), undefined);
  });

  it('applies to channel push only', () => {
    assert.match(problem({ validateOnly: true }, 'sms') ?? '', /^push: push applies to channel push only/);
  });

  it('wants https URLs for the image and the web link', () => {
    assert.match(
      problem({ image: 'http://cdn.example.com/a.png' }) ?? '',
      /^push\.image: .* must be an https:\/\/ URL/,
    );
    assert.match(problem({ image: 'not a url' }) ?? '', /^push\.image:/);
    assert.match(problem({ webpush: { link: 'javascript:alert(1)' } }) ?? '', /^push\.webpush\.link:/);
  });

  it("refuses FCM's reserved data keys and herald's own", () => {
    for (const key of ['from', 'message_type', 'google.c.a', 'gcm.notification.body', 'herald_message_id']) {
      assert.match(problem({ data: { [key]: 'x' } }) ?? '', /reserve/, key);
    }
  });

  it('holds data to 4096 bytes of keys and values', () => {
    assert.equal(problem({ data: { k: 'x'.repeat(4095) } }), undefined);
    assert.match(
      problem({ data: { k: 'x'.repeat(4096) } }) ?? '',
      /^push\.data: .* is 4097 bytes .* at most 4096/,
    );
  });

  it('holds the android ttl to 28 days', () => {
    assert.match(
      problem({ android: { ttlSeconds: 28 * 24 * 3600 + 1 } }) ?? '',
      /^push\.android\.ttlSeconds:/,
    );
    assert.match(problem({ android: { ttlSeconds: 1.5 } }) ?? '', /whole number/);
  });

  it('takes only lower-case apns-* headers, and not the ones herald sets', () => {
    assert.match(problem({ apns: { headers: { 'x-custom': '1' } } }) ?? '', /is not an APNs header/);
    assert.match(problem({ apns: { headers: { 'Apns-Priority': '10' } } }) ?? '', /lower case/);
    for (const owned of ['apns-id', 'apns-topic', 'apns-expiration']) {
      assert.match(
        problem({ apns: { headers: { [owned]: '1' } } }) ?? '',
        /cannot be set: herald sets it/,
        owned,
      );
    }
  });

  it('checks apns-priority, apns-push-type and apns-collapse-id as Apple does', () => {
    assert.match(problem({ apns: { headers: { 'apns-priority': '7' } } }) ?? '', /must be "10", "5" or "1"/);
    assert.match(
      problem({ apns: { headers: { 'apns-push-type': 'banner' } } }) ?? '',
      /must be one of alert, background/,
    );
    assert.equal(problem({ apns: { headers: { 'apns-collapse-id': 'c'.repeat(64) } } }), undefined);
    assert.match(
      problem({ apns: { headers: { 'apns-collapse-id': 'c'.repeat(65) } } }) ?? '',
      /1 to 64 bytes/,
    );
    assert.match(
      problem({ apns: { headers: { 'apns-push-type': 'background', 'apns-priority': '10' } } }) ?? '',
      /must be 5 with apns-push-type background/,
    );
  });

  it('wants aps to be an object in the APNs payload', () => {
    assert.match(problem({ apns: { payload: { aps: 'alert' } } }) ?? '', /^push\.apns\.payload\.aps:/);
  });

  it('wants HTTP header names in webpush headers', () => {
    assert.match(problem({ webpush: { headers: { 'bad name': '1' } } }) ?? '', /is not an HTTP header name/);
  });
});

describe('submitMessages: push options', () => {
  it('carries the options in every envelope and in the message key', async () => {
    const fake = fakeSubmission();
    await submitMessages(fake.context, { ...request({ data: { orderId: '42' } }), idempotencyKey: 'k' });
    await submitMessages(fake.context, { ...request({ data: { orderId: '43' } }), idempotencyKey: 'k' });
    await submitMessages(fake.context, { ...request({ data: { orderId: '43' } }), idempotencyKey: 'k' });
    const [first, second, third] = envelopes(fake.produced);
    assert.deepEqual(first?.push, { data: { orderId: '42' } });
    assert.notEqual(first?.key, second?.key, 'other options, another message');
    assert.equal(second?.key, third?.key);
  });

  it('refuses a push whose payload with the options is over 4096 bytes, saying so', async () => {
    const error = await submitMessages(
      fakeSubmission().context,
      request({ data: { blob: 'x'.repeat(3000) } }, 'a'.repeat(1500)),
    ).catch((e: unknown) => e);
    assert.ok(error instanceof HeraldError);
    assert.equal(error.code, 'HERALD_BODY_TOO_LONG');
    assert.match(error.message, /push payload .* over 4096 bytes/);
  });
});
