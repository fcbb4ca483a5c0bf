import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { optOutEntry } from '../../../src/core/content/ad-opt-out.ts';
import type { Envelope } from '../../../src/core/domain/message.ts';
import { hashRecipient } from '../../../src/core/identity/recipient-privacy.ts';
import type { RecipientOutcome, SubmissionRequest } from '../../../src/core/submission/submission-types.ts';
import { NoValidRecipientsError } from '../../../src/core/submission/submission-types.ts';
import { submitMessages } from '../../../src/core/submission/submit-messages.ts';
import type { FakeSubmission } from './fake-submission-context.ts';
import { fakeSubmission, TEST_SECRET } from './fake-submission-context.ts';

const AD_BODY = '(광고) 헤럴드마트 봄 세일 20%\n무료수신거부 080-888-0327';

const adRequest = (overrides: Partial<SubmissionRequest> = {}): SubmissionRequest => ({
  clientId: 'shop',
  channel: 'sms',
  lane: 'ad',
  sender: { name: '헤럴드마트' },
  content: { body: AD_BODY },
  recipients: [{ to: '010-1111-0000' }, { to: '010-2222-0000' }, { to: '010-3333-0000' }],
  ...overrides,
});

const codeOf = (outcome: RecipientOutcome | undefined) =>
  outcome && 'error' in outcome ? outcome.error.code : outcome?.status;

async function optOut(
  fake: FakeSubmission,
  channel: 'sms' | 'lms' | 'push' | 'email',
  to: string,
  clientId = 'shop',
) {
  const entry = optOutEntry(channel, to, TEST_SECRET);
  assert.ok(entry.ok);
  await fake.optOuts.addOptOut(clientId, entry.value.scope, entry.value.recipientHash);
}

describe('submitMessages on the ad lane: request-level rules (400, nothing accepted)', () => {
  const refusals: [string, Partial<SubmissionRequest>, string][] = [
    [
      'alimtalk',
      { channel: 'alimtalk', content: undefined, template: { code: 'ORDER_SHIPPED' } },
      'HERALD_AD_NOT_ALLOWED_ON_CHANNEL',
    ],
    ['no sender', { sender: undefined }, 'HERALD_AD_SENDER_MISSING'],
    ['a blank sender name', { sender: { name: '  ' } }, 'HERALD_AD_SENDER_MISSING'],
    ['a sender the text does not name', { sender: { name: '다른가게' } }, 'HERALD_AD_SENDER_MISSING'],
    [
      'no (광고) mark',
      { content: { body: AD_BODY.replace('(광고)', '[광고]') } },
      'HERALD_AD_MARKING_MISSING',
    ],
    ['no opt-out line', { content: { body: '(광고) 헤럴드마트 봄 세일 20%' } }, 'HERALD_AD_OPT_OUT_MISSING'],
  ];
  for (const [what, overrides, code] of refusals) {
    it(`refuses ${what} with ${code}`, async () => {
      const fake = fakeSubmission();
      await assert.rejects(submitMessages(fake.context, adRequest(overrides)), { code });
      assert.equal(fake.produced.length, 0);
      assert.equal(fake.accepted.length, 0);
    });
  }

  it('refuses text marked (광고) on another lane, where the ad rules would not apply', async () => {
    const fake = fakeSubmission();
    await assert.rejects(submitMessages(fake.context, adRequest({ lane: 'batch' })), {
      code: 'HERALD_AD_OUTSIDE_AD_LANE',
    });
  });

  it('marks e-mail ads in the subject, and wants the sender named in the body', async () => {
    const fake = fakeSubmission();
    const email = { channel: 'email' as const, recipients: [{ to: 'kim@example.com' }] };
    const refused = (content: { subject?: string; body: string }, code: string, field: string) =>
      assert.rejects(submitMessages(fake.context, adRequest({ ...email, content })), { code, field });
    await refused({ body: AD_BODY }, 'HERALD_AD_MARKING_MISSING', 'content.subject');
    await refused(
      { subject: '봄 세일 (광고)', body: AD_BODY },
      'HERALD_AD_MARKING_MISSING',
      'content.subject',
    );
    await refused(
      { subject: '[광고] 봄 세일', body: AD_BODY },
      'HERALD_AD_MARKING_MISSING',
      'content.subject',
    );
    await refused(
      { subject: '(광고) 봄 세일', body: '봄 세일 20%' },
      'HERALD_AD_SENDER_MISSING',
      'content.body',
    );
    await refused(
      { subject: '(광고) 봄 세일', body: '헤럴드마트몰 세일' },
      'HERALD_AD_SENDER_MISSING',
      'content.body',
    );
    // No 080 line and no mark in the body: herald adds the unsubscribe link to every ad e-mail.
    const content = { subject: '(광고) 봄 세일', body: '봄 세일 20%\n보낸 곳: 헤럴드마트, 02-123-4567' };
    const accepted = await submitMessages(fake.context, adRequest({ ...email, content }));
    assert.equal(codeOf(accepted.messages[0]), 'accepted');
  });
});

describe('submitMessages on the ad lane: per recipient', () => {
  it('checks text with placeholders as rendered for each recipient', async () => {
    const fake = fakeSubmission();
    const result = await submitMessages(
      fake.context,
      adRequest({
        content: { body: '(광고) #{shop} 봄 세일\n무료거부 #{line}' },
        recipients: [
          { to: '010-1111-0000', vars: { shop: '헤럴드마트', line: '080-888-0327' } },
          { to: '010-2222-0000', vars: { shop: '다른가게', line: '080-888-0327' } },
          { to: '010-3333-0000', vars: { shop: '헤럴드마트', line: '010-888-0327' } },
        ],
      }),
    );
    assert.deepEqual(result.messages.map(codeOf), [
      'accepted',
      'HERALD_AD_SENDER_MISSING',
      'HERALD_AD_OPT_OUT_MISSING',
    ]);
    const error = result.messages[1] && 'error' in result.messages[1] ? result.messages[1].error : undefined;
    assert.match(error?.message ?? '', /rendered for recipients\[1\]/);
  });

  it('refuses opted-out recipients one by one, in one lookup, and queues the others', async () => {
    const fake = fakeSubmission();
    await optOut(fake, 'sms', '01022220000');
    let lookups = 0;
    const context = {
      ...fake.context,
      optOuts: {
        findOptOuts: (...args: Parameters<FakeSubmission['optOuts']['findOptOuts']>) => {
          lookups += 1;
          return fake.optOuts.findOptOuts(...args);
        },
      },
    };
    const result = await submitMessages(context, adRequest());
    assert.deepEqual(result.messages.map(codeOf), ['accepted', 'HERALD_RECIPIENT_OPTED_OUT', 'accepted']);
    assert.equal(lookups, 1);
    const error = result.messages[1] && 'error' in result.messages[1] ? result.messages[1].error : undefined;
    assert.match(error?.message ?? '', /recipients\[1\] opted out .*§50②/);
    assert.doesNotMatch(error?.message ?? '', /2222/, 'the number is not repeated');
    assert.equal(fake.produced.length, 2);
    assert.deepEqual(
      fake.accepted[0]?.messages.map((m) => m.index),
      [0, 2],
    );
  });

  it('applies an opt-out given for lms to sms ads (one list for text messages)', async () => {
    const fake = fakeSubmission();
    await optOut(fake, 'lms', '010-1111-0000');
    const result = await submitMessages(fake.context, adRequest());
    assert.equal(codeOf(result.messages[0]), 'HERALD_RECIPIENT_OPTED_OUT');
  });

  it('keeps lists apart per client and per channel, and leaves non-ad lanes alone', async () => {
    const fake = fakeSubmission();
    await optOut(fake, 'sms', '010-1111-0000', 'another-client');
    await optOut(fake, 'push', '010-2222-0000');
    const ad = await submitMessages(fake.context, adRequest());
    assert.deepEqual(ad.messages.map(codeOf), ['accepted', 'accepted', 'accepted']);
    await optOut(fake, 'sms', '010-3333-0000');
    const informational = await submitMessages(
      fake.context,
      adRequest({ lane: 'realtime', content: { body: '주문이 발송되었습니다' } }),
    );
    assert.equal(codeOf(informational.messages[2]), 'accepted', 'an opt-out from ads only');
  });

  it("answers 422 with each recipient's code when every recipient opted out", async () => {
    const fake = fakeSubmission();
    for (const to of ['010-1111-0000', '010-2222-0000', '010-3333-0000']) await optOut(fake, 'sms', to);
    await assert.rejects(submitMessages(fake.context, adRequest()), (error) => {
      assert.ok(error instanceof NoValidRecipientsError);
      assert.deepEqual(
        error.messages.map((m) => [m.index, m.error.code]),
        [0, 1, 2].map((i) => [i, 'HERALD_RECIPIENT_OPTED_OUT']),
      );
      return true;
    });
    assert.equal(fake.produced.length, 0);
  });

  it('matches e-mail addresses case-insensitively: an opt-out of Victim@Example.COM blocks victim@example.com', async () => {
    const fake = fakeSubmission();
    await optOut(fake, 'email', 'Victim@Example.COM');
    const email = { channel: 'email' as const, content: { subject: '(광고) 봄 세일', body: AD_BODY } };
    const recipients = [
      { to: 'victim@example.com' },
      { to: 'VICTIM@EXAMPLE.COM' },
      { to: 'other@example.com' },
    ];
    const result = await submitMessages(fake.context, adRequest({ ...email, recipients }));
    assert.deepEqual(result.messages.map(codeOf), [
      'HERALD_RECIPIENT_OPTED_OUT',
      'HERALD_RECIPIENT_OPTED_OUT',
      'accepted',
    ]);
  });

  it('keeps honouring an entry stored before the folding (exact-case hash) for the address as it was written', async () => {
    const fake = fakeSubmission();
    await fake.optOuts.addOptOut('shop', 'email', hashRecipient('Victim@example.com', TEST_SECRET));
    const email = { channel: 'email' as const, content: { subject: '(광고) 봄 세일', body: AD_BODY } };
    const recipients = [{ to: 'Victim@Example.com' }, { to: 'victim@example.com' }];
    const result = await submitMessages(fake.context, adRequest({ ...email, recipients }));
    assert.deepEqual(result.messages.map(codeOf), ['HERALD_RECIPIENT_OPTED_OUT', 'accepted']);
  });

  it('fails closed: no ad is queued when the opt-out list cannot be read', async () => {
    const fake = fakeSubmission();
    fake.failOptOutLookup = true;
    await assert.rejects(submitMessages(fake.context, adRequest()), { code: 'HERALD_UNAVAILABLE' });
    assert.equal(fake.produced.length, 0);
    assert.equal(fake.accepted.length, 0);
  });

  it('carries night consent onto the envelope of ad-lane messages only', async () => {
    const fake = fakeSubmission();
    const recipients = [{ to: '010-1111-0000', nightAdConsent: true }, { to: '010-2222-0000' }];
    await submitMessages(fake.context, adRequest({ recipients }));
    await submitMessages(
      fake.context,
      adRequest({ lane: 'batch', content: { body: '주문이 발송되었습니다' }, recipients }),
    );
    const sent = fake.produced.map((r) => JSON.parse(r.value) as Envelope);
    assert.deepEqual(
      sent.map((e) => [e.lane, e.nightAdConsent]),
      [
        ['ad', true],
        ['ad', undefined],
        ['batch', undefined],
        ['batch', undefined],
      ],
    );
  });
});
