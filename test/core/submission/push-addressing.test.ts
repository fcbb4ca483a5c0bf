import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Envelope } from '../../../src/core/domain/message.ts';
import type { RecipientInput, SubmissionRequest } from '../../../src/core/submission/submission-types.ts';
import { NoValidRecipientsError } from '../../../src/core/submission/submission-types.ts';
import { submitMessages } from '../../../src/core/submission/submit-messages.ts';
import { fakeSubmission } from './fake-submission-context.ts';

const APNS = '6e18f1989e5350ca1ba5a454290440a6799f57842363456190a19c10561f796c';
const FCM = 'cWzJ1Q8gRmWb0mUuW9kK3X:APA91bHun4MxP5egoKMwt2KZFBaFUH-1RYqx0HQ7g2nQ8zQ6l0T5Jf7XwU3y6iVdP0y8kQx';

const push = (recipients: RecipientInput[]): SubmissionRequest => ({
  clientId: 'shop',
  channel: 'push',
  lane: 'realtime',
  content: { subject: '배송 시작', body: '주문하신 상품이 출발했습니다' },
  recipients,
});

const envelopes = (records: readonly { value: string }[]) =>
  records.map((r) => JSON.parse(r.value) as Envelope);

describe('submitMessages: push addressing', () => {
  it("carries each token's provider in its envelope: as given, or as the token's shape tells", async () => {
    const fake = fakeSubmission();
    const result = await submitMessages(
      fake.context,
      push([{ to: APNS }, { to: FCM }, { to: 'opaque-registry-token', provider: 'apns' }]),
    );
    assert.ok(result.messages.every((m) => 'messageId' in m));
    assert.deepEqual(
      envelopes(fake.produced).map((e) => e.pushProvider),
      ['apns', 'fcm', 'apns'],
    );
  });

  it('refuses a token whose shape does not tell and that names no provider, and only that one', async () => {
    const fake = fakeSubmission();
    const result = await submitMessages(fake.context, push([{ to: APNS }, { to: 'tokenABCDEF123456' }]));
    const refused = result.messages[1]!;
    assert.ok('error' in refused);
    assert.equal(refused.error.code, 'HERALD_UNKNOWN_PUSH_PROVIDER');
    assert.match(refused.error.message, /^recipients\[1\]\.to is neither an APNs device token/);
    assert.match(refused.error.message, /give recipients\[1\]\.provider: "fcm" or "apns"$/);
    assert.equal(fake.produced.length, 1);
  });

  it('refuses provider on a channel other than push, naming the field', async () => {
    const fake = fakeSubmission();
    const error = await submitMessages(fake.context, {
      ...push([{ to: '010-1234-5678', provider: 'fcm' }]),
      channel: 'sms',
    }).catch((e: unknown) => e);
    assert.ok(error instanceof NoValidRecipientsError);
    assert.equal(error.messages[0]!.error.code, 'HERALD_VALIDATION_FAILED');
    assert.match(error.messages[0]!.error.message, /^recipients\[0\]\.provider applies to push only/);
  });

  it('carries no provider off push', async () => {
    const fake = fakeSubmission();
    await submitMessages(fake.context, { ...push([{ to: '010-1234-5678' }]), channel: 'sms' });
    assert.equal(envelopes(fake.produced)[0]!.pushProvider, undefined);
  });
});
