import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Envelope } from '../../../src/core/domain/message.ts';
import type { SubmissionRequest } from '../../../src/core/submission/submission-types.ts';
import { submitMessages } from '../../../src/core/submission/submit-messages.ts';
import { fakeSubmission, ORDER_TEMPLATE } from './fake-submission-context.ts';

const emails = (count: number, vars?: (i: number) => Record<string, string>) =>
  Array.from({ length: count }, (_, i) => ({
    to: `user${i}@example.com`,
    ...(vars ? { vars: vars(i) } : {}),
  }));

const email = (body: string, recipients: SubmissionRequest['recipients']): SubmissionRequest => ({
  clientId: 'shop',
  channel: 'email',
  lane: 'batch',
  content: { subject: '안내', body },
  recipients,
});

describe('the text one request’s messages carry together is bounded', () => {
  it('refuses 100 copies of a 512 KiB e-mail with 413 HERALD_MESSAGES_TOO_LARGE, queueing nothing', async () => {
    const fake = fakeSubmission();
    const body = '가'.repeat(Math.floor((512 * 1024) / 3));
    await assert.rejects(submitMessages(fake.context, email(body, emails(100))), (error: Error) => {
      assert.equal((error as { code?: string }).code, 'HERALD_MESSAGES_TOO_LARGE');
      assert.equal((error as { httpStatus?: number }).httpStatus, 413);
      assert.match(error.message, /the 100 messages of this request would carry more than 2097152 bytes/);
      assert.match(error.message, /send at most 3 recipients of this size per request/);
      return true;
    });
    assert.equal(fake.accepted.length, 0);
    assert.equal(fake.produced.length, 0);
  });

  it('accepts what fits: 100 e-mails of 20 KiB', async () => {
    const fake = fakeSubmission();
    const result = await submitMessages(fake.context, email('x'.repeat(20 * 1024), emails(100)));
    assert.equal(result.messages.length, 100);
    assert.equal(fake.produced.length, 100);
  });

  it('counts text as encoded on the transport, each recipient’s rendering on its own', async () => {
    const fake = fakeSubmission();
    const context = { ...fake.context, requestContentLimitBytes: 64 * 1024 };
    // 10 x 4,000 quotes are 8,000 bytes each once JSON escapes them: 80,000 bytes in all.
    const quotes = email(
      '#{q}',
      emails(10, () => ({ q: '"'.repeat(4_000) })),
    );
    await assert.rejects(submitMessages(context, quotes), { code: 'HERALD_MESSAGES_TOO_LARGE' });
    const one = email(
      '#{q}'.repeat(10),
      emails(1, () => ({ q: '\u0001'.repeat(4_000) })),
    );
    await assert.rejects(submitMessages(context, one), {
      code: 'HERALD_MESSAGES_TOO_LARGE',
      message: /^one message of this request would carry 240\d{3} bytes of text as encoded/,
    });
    const plain = email(
      '#{q}',
      emails(10, () => ({ q: 'x'.repeat(4_000) })),
    );
    assert.equal((await submitMessages(context, plain)).messages.length, 10);
  });

  it('carries only the variables an AlimTalk template uses', async () => {
    const fake = fakeSubmission({ templates: [ORDER_TEMPLATE] });
    const unused = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`extra${i}`, 'x'.repeat(4_000)]));
    await submitMessages(fake.context, {
      clientId: 'shop',
      channel: 'alimtalk',
      lane: 'realtime',
      template: { code: ORDER_TEMPLATE.code, vars: { ...unused, orderNo: 'A-1' } },
      recipients: [{ to: '010-1234-5678', vars: { name: '김', other: 'y' } }],
    });
    const [envelope] = fake.produced.map((record) => JSON.parse(record.value) as Envelope);
    assert.deepEqual(envelope?.template, { code: ORDER_TEMPLATE.code, vars: { name: '김', orderNo: 'A-1' } });
  });
});
