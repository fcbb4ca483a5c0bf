import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RecipientOutcome, SubmissionRequest } from '../../../src/core/submission/submission-types.ts';
import { submitMessages } from '../../../src/core/submission/submit-messages.ts';
import { approvedTemplate } from '../../support/templates.ts';
import { fakeSubmission } from './fake-submission-context.ts';

/** The content rules at the submission: once for fixed text, per recipient for rendered text. */
const outcome = (m: RecipientOutcome | undefined) =>
  m && 'error' in m ? [m.error.code, m.error.message] : [m?.status, ''];

const realtime = (overrides: Partial<SubmissionRequest>): SubmissionRequest => ({
  clientId: 'shop',
  channel: 'sms',
  lane: 'realtime',
  content: { body: '#{greeting} 주문이 발송되었습니다' },
  recipients: [
    { to: '010-1111-0000', vars: { greeting: '안녕하세요' } },
    { to: '010-2222-0000', vars: { greeting: '（광고）' } },
    { to: '010-3333-0000', vars: { greeting: '\u200B(광고)' } },
  ],
  ...overrides,
});

describe('submission: an ad is judged as each recipient reads it, in every lane', () => {
  it('rejects the recipients whose variables turn the text into an ad outside the ad lane', async () => {
    for (const lane of ['realtime', 'batch'] as const) {
      const fake = fakeSubmission();
      const result = await submitMessages(fake.context, realtime({ lane }));
      const [first, second, third] = result.messages.map(outcome);
      assert.equal(first?.[0], 'accepted');
      assert.equal(second?.[0], 'HERALD_AD_OUTSIDE_AD_LANE');
      assert.match(
        String(second?.[1]),
        /^content\.body \(rendered for recipients\[1\]\) starts with '（광고）'/,
      );
      assert.equal(third?.[0], 'HERALD_AD_OUTSIDE_AD_LANE');
      assert.equal(fake.produced.length, 1);
    }
  });

  it('refuses fixed text that reads as an ad once, for the whole request (422)', async () => {
    const fake = fakeSubmission();
    await assert.rejects(
      submitMessages(fake.context, realtime({ content: { body: '  （광고） 봄 세일' } })),
      {
        code: 'HERALD_AD_OUTSIDE_AD_LANE',
        httpStatus: 422,
      },
    );
    assert.equal(fake.accepted.length, 0);
  });

  it('refuses an AlimTalk whose variables render an ad mark', async () => {
    const fake = fakeSubmission({
      templates: [approvedTemplate({ clientId: 'shop', code: 'NOTICE', body: '#{head} 안내드립니다' })],
    });
    const result = await submitMessages(fake.context, {
      clientId: 'shop',
      channel: 'alimtalk',
      lane: 'batch',
      template: { code: 'NOTICE' },
      recipients: [
        { to: '010-1111-0000', vars: { head: '주문' } },
        { to: '010-2222-0000', vars: { head: '(광고)' } },
      ],
    });
    assert.deepEqual(
      result.messages.map((m) => outcome(m)[0]),
      ['accepted', 'HERALD_AD_OUTSIDE_AD_LANE'],
    );
  });

  it('does not let a one-letter sender name pass as part of a word (sender.name "가" or "0")', async () => {
    for (const name of ['가', '0']) {
      const fake = fakeSubmission();
      const request: SubmissionRequest = {
        clientId: 'shop',
        channel: 'sms',
        lane: 'ad',
        sender: { name },
        content: { body: '(광고) 가나다 봄 세일 0원\n무료수신거부 080-888-0327' },
        recipients: [{ to: '010-1111-0000' }],
      };
      await assert.rejects(submitMessages(fake.context, request), { code: 'HERALD_AD_SENDER_MISSING' }, name);
    }
  });
});

describe('submission: control characters', () => {
  const email = (subject: string, vars: Record<string, string>[]): SubmissionRequest => ({
    clientId: 'shop',
    channel: 'email',
    lane: 'realtime',
    content: { subject, body: '본문\n\t둘째 줄' },
    recipients: vars.map((v, i) => ({ to: `kim${i}@example.com`, vars: v })),
  });

  it('rejects the recipient whose variable puts CR/LF into the e-mail subject, naming field and recipient', async () => {
    const fake = fakeSubmission();
    const result = await submitMessages(
      fake.context,
      email('#{name}님 주문 안내', [{ name: '김' }, { name: '김\r\nBcc: victim@example.com' }]),
    );
    const [first, second] = result.messages.map(outcome);
    assert.equal(first?.[0], 'accepted');
    assert.equal(second?.[0], 'HERALD_CONTROL_CHARACTER');
    assert.match(
      String(second?.[1]),
      /^content\.subject \(rendered for recipients\[1\]\) has a control character at index 1 \(U\+000D, carriage return\)/,
    );
  });

  it('refuses a fixed subject with a line break, or a NUL in the body, for the whole request (400)', async () => {
    const fake = fakeSubmission();
    await assert.rejects(submitMessages(fake.context, email('주문\n안내', [{}])), {
      code: 'HERALD_CONTROL_CHARACTER',
      field: 'content.subject',
      httpStatus: 400,
    });
    const nul = { ...email('안내', [{}]), content: { body: '본문\u0000' } };
    await assert.rejects(submitMessages(fake.context, nul), {
      code: 'HERALD_CONTROL_CHARACTER',
      field: 'content.body',
    });
    assert.equal(fake.accepted.length, 0);
  });

  it('accepts tabs and newlines in a body', async () => {
    const fake = fakeSubmission();
    const result = await submitMessages(fake.context, email('안내', [{}]));
    assert.equal(outcome(result.messages[0])[0], 'accepted');
  });
});
