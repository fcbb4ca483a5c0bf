import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HeraldError } from '../../../src/core/domain/errors.ts';
import { hashRecipient } from '../../../src/core/identity/recipient-privacy.ts';
import type { RecipientInput, SubmissionRequest } from '../../../src/core/submission/submission-types.ts';
import { submitMessages } from '../../../src/core/submission/submit-messages.ts';
import { envelopes, fakeSubmission, TEST_SECRET } from './fake-submission-context.ts';

const APNS = '6e18f1989e5350ca1ba5a454290440a6799f57842363456190a19c10561f796c';
const FCM = 'cWzJ1Q8gRmWb0mUuW9kK3X:APA91bHun4MxP5egoKMwt2KZFBaFUH-1RYqx0HQ7g2nQ8zQ6l0T5Jf7XwU3y6iVdP0y8kQx';

const push = (
  recipients: RecipientInput[],
  channel: SubmissionRequest['channel'] = 'push',
): SubmissionRequest => ({
  clientId: 'shop',
  channel,
  lane: 'realtime',
  content: { subject: '배송 시작', body: '주문하신 상품이 출발했습니다' },
  recipients,
});

async function refusal(request: SubmissionRequest): Promise<HeraldError> {
  const error = await submitMessages(fakeSubmission().context, request).catch((e: unknown) => e);
  assert.ok(error instanceof HeraldError, `expected a refusal, got ${JSON.stringify(error)}`);
  return error;
}

describe('submitMessages: push recipient forms', () => {
  it('takes token as to, with the provider and app it names', async () => {
    const fake = fakeSubmission();
    await submitMessages(
      fake.context,
      push([{ token: FCM }, { token: 'opaque-1', provider: 'apns', app: 'com.shop.ios' }, { to: APNS }]),
    );
    assert.deepEqual(
      envelopes(fake.produced).map((e) => [e.to, e.pushProvider, e.pushApp, e.userId]),
      [
        [FCM, 'fcm', undefined, undefined],
        ['opaque-1', 'apns', 'com.shop.ios', undefined],
        [APNS, 'apns', undefined, undefined],
      ],
    );
  });

  it('treats the same token given as to and as token as one recipient', async () => {
    const result = await submitMessages(fakeSubmission().context, push([{ to: FCM }, { token: FCM }]));
    assert.deepEqual(
      result.messages.map((m) => ('status' in m ? m.status : m.error.code)),
      ['accepted', 'duplicate'],
    );
  });

  it('queues a push to a user with no address: the worker resolves the user into devices', async () => {
    const fake = fakeSubmission();
    const result = await submitMessages(
      fake.context,
      push([{ userId: 'member-4711' }, { userId: 'member-4712' }]),
    );
    assert.deepEqual(
      result.messages.map((m) => ('status' in m ? m.status : m.error.code)),
      ['accepted', 'accepted'],
    );
    const [first] = envelopes(fake.produced);
    assert.equal(first?.to, '');
    assert.equal(first?.userId, 'member-4711');
    assert.equal(first?.pushProvider, undefined);
    const recorded = fake.accepted[0]?.messages[0];
    assert.equal(recorded?.recipientMasked, 'user:me****');
    assert.equal(recorded?.recipientHash, hashRecipient('user:member-4711', TEST_SECRET));
    const [a, b] = envelopes(fake.produced);
    assert.notEqual(a?.key, b?.key, 'the user id is part of the key');
  });

  it('answers a user listed twice as a duplicate of the first', async () => {
    const result = await submitMessages(fakeSubmission().context, push([{ userId: 'u1' }, { userId: 'u1' }]));
    assert.deepEqual(
      result.messages.map((m) => ('status' in m ? m.status : m.error.code)),
      ['accepted', 'duplicate'],
    );
  });

  it('refuses a recipient with none or more than one of to, token and userId, naming it', async () => {
    for (const recipient of [{}, { to: FCM, userId: 'u1' }, { to: FCM, token: FCM }]) {
      const error = await refusal(push([{ to: APNS }, recipient]));
      assert.equal(error.code, 'HERALD_VALIDATION_FAILED');
      assert.match(error.message, /^recipients\[1\] gives .*; give exactly one of to or token .* or userId/);
    }
  });

  it('refuses provider and app with userId: the registry knows each device', async () => {
    for (const extra of [{ provider: 'fcm' as const }, { app: 'com.shop' }]) {
      const error = await refusal(push([{ userId: 'u1', ...extra }]));
      assert.equal(error.code, 'HERALD_VALIDATION_FAILED');
      assert.match(error.message, /^recipients\[0\]\.(provider|app) does not apply with userId/);
    }
  });

  it('refuses token, userId and app off push, pointing to to', async () => {
    for (const recipient of [{ token: '01012345678' }, { userId: 'u1' }, { to: '01012345678', app: 'x' }]) {
      const error = await refusal(push([recipient], 'sms'));
      assert.equal(error.code, 'HERALD_VALIDATION_FAILED');
      assert.match(
        error.message,
        /^recipients\[0\]\.(token|userId|app) applies to push only; give recipients\[0\]\.to/,
      );
    }
    const missing = await refusal(push([{}], 'sms'));
    assert.equal(missing.message, 'recipients[0].to is required');
  });

  it('refuses a user id that is empty, too long or has control characters', async () => {
    for (const userId of ['', 'u'.repeat(256), 'u\n1']) {
      const error = await refusal(push([{ userId }]));
      assert.equal(error.field, 'recipients[0].userId');
    }
  });

  it('names the token field when a token form does not tell its provider', async () => {
    const result = await submitMessages(
      fakeSubmission().context,
      push([{ to: APNS }, { token: 'tokenABCDEF' }]),
    );
    const refused = result.messages[1]!;
    assert.ok('error' in refused);
    assert.match(refused.error.message, /^recipients\[1\]\.token is neither an APNs device token/);
  });
});
