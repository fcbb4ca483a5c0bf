import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HeraldError } from '../../../src/core/domain/errors.ts';
import { HISTORY_TOPIC } from '../../../src/core/history/history-log.ts';
import { hashRecipient } from '../../../src/core/identity/recipient-privacy.ts';
import { sendTopic } from '../../../src/core/pipeline/topics.ts';
import type { RecipientOutcome, SubmissionRequest } from '../../../src/core/submission/submission-types.ts';
import { NoValidRecipientsError } from '../../../src/core/submission/submission-types.ts';
import { submitMessages } from '../../../src/core/submission/submit-messages.ts';
import type { AcceptedRequest, MessageEvent } from '../../../src/ports/history-store.ts';
import type { OutgoingRecord } from '../../../src/ports/transport.ts';
import {
  envelopes,
  fakeSubmission,
  ORDER_TEMPLATE,
  smsRequest,
  TEST_SECRET,
  TEST_SENDER_NUMBER,
} from './fake-submission-context.ts';

function phone(i: number): string {
  return `010${String(10_000_000 + i).slice(-8)}`;
}

function errorOf(outcome: RecipientOutcome | undefined): { code: string; message: string } | undefined {
  return outcome && 'error' in outcome ? outcome.error : undefined;
}

describe('submitMessages: accepted messages', () => {
  it('records, queues and answers one message per recipient', async () => {
    const fake = fakeSubmission();
    const result = await submitMessages(fake.context, smsRequest);

    assert.equal(result.messages.length, 2);
    assert.deepEqual(
      result.messages.map((m) => ('status' in m ? [m.index, m.status, m.channel] : m)),
      [
        [0, 'accepted', 'sms'],
        [1, 'accepted', 'sms'],
      ],
    );
    const [request] = fake.accepted;
    assert.equal(request?.requestId, result.requestId);
    assert.equal(request?.clientId, 'shop');
    assert.deepEqual(
      request?.messages.map((m) => [m.index, m.recipientMasked, m.recipientHash]),
      [
        [0, '010****5678', hashRecipient('01012345678', TEST_SECRET)],
        [1, '010****3333', hashRecipient('01022223333', TEST_SECRET)],
      ],
    );

    const sent = envelopes(fake.produced);
    assert.deepEqual(
      fake.produced.map((r) => r.topic),
      ['herald.realtime.sms', 'herald.realtime.sms'],
    );
    assert.deepEqual(
      fake.produced.map((r) => r.key),
      request?.messages.map((m) => m.key),
    );
    assert.deepEqual(sent[0], {
      messageId: request?.messages[0]?.messageId,
      requestId: result.requestId,
      clientId: 'shop',
      key: request?.messages[0]?.key,
      channel: 'sms',
      lane: 'realtime',
      to: '01012345678',
      content: { body: '김님 주문이 접수되었습니다' },
      from: TEST_SENDER_NUMBER,
      attempt: 1,
      expiresAt: fake.now + fake.config.defaultExpiresInSeconds * 1000,
      createdAt: fake.now,
    });
    assert.deepEqual(
      fake.events.map((e) => [e.messageId, e.status]),
      request?.messages.map((m) => [m.messageId, 'queued']),
    );
  });

  it('honours expiresInSeconds and the lane', async () => {
    const fake = fakeSubmission();
    await submitMessages(fake.context, { ...smsRequest, lane: 'batch', expiresInSeconds: 60 });
    const [envelope] = envelopes(fake.produced);
    assert.equal(envelope?.expiresAt, fake.now + 60_000);
    assert.equal(fake.produced[0]?.topic, 'herald.batch.sms');
  });

  it('does not apply EUC-KR rules to e-mail', async () => {
    const fake = fakeSubmission();
    const result = await submitMessages(fake.context, {
      clientId: 'shop',
      channel: 'email',
      lane: 'realtime',
      content: { subject: '배송 안내 📦', body: '곧 도착합니다 😀' },
      recipients: [{ to: 'kim@example.com' }],
    });
    assert.equal(
      result.messages[0] && 'status' in result.messages[0] && result.messages[0].status,
      'accepted',
    );
  });
});

describe('submitMessages: per-recipient rejection', () => {
  it('rejects recipient 51 of 100 alone; the other 99 are accepted and queued', async () => {
    const fake = fakeSubmission();
    const recipients = Array.from({ length: 100 }, (_, i) => ({ to: i === 51 ? '02-123-4567' : phone(i) }));
    const result = await submitMessages(fake.context, {
      ...smsRequest,
      content: { body: 'hello' },
      recipients,
    });

    assert.equal(result.messages.length, 100);
    assert.deepEqual(
      result.messages.map((m) => m.index),
      Array.from({ length: 100 }, (_, i) => i),
    );
    const error = errorOf(result.messages[51]);
    assert.equal(error?.code, 'HERALD_INVALID_PHONE');
    assert.match(error?.message ?? '', /recipients\[51\]\.to/);
    assert.equal(result.messages.filter((m) => 'error' in m).length, 1);
    assert.equal(fake.produced.length, 99);
    assert.ok(!fake.accepted[0]?.messages.some((m) => m.index === 51));
  });

  it('rejects a recipient whose variables are missing, and names them', async () => {
    const fake = fakeSubmission();
    const result = await submitMessages(fake.context, {
      ...smsRequest,
      recipients: [{ to: phone(1), vars: { name: 'Kim' } }, { to: phone(2) }],
    });
    const error = errorOf(result.messages[1]);
    assert.equal(error?.code, 'HERALD_MISSING_VARIABLE');
    assert.match(error?.message ?? '', /recipients\[1\]\.vars has no value for #\{name\}/);
    assert.equal(fake.produced.length, 1);
    assert.ok(!fake.produced[0]?.value.includes('#{'));
  });

  it('rejects a recipient whose variables bring an emoji into an SMS', async () => {
    const fake = fakeSubmission();
    const result = await submitMessages(fake.context, {
      ...smsRequest,
      recipients: [
        { to: phone(1), vars: { name: 'Kim' } },
        { to: phone(2), vars: { name: 'Kim😀' } },
      ],
    });
    assert.equal(errorOf(result.messages[1])?.code, 'HERALD_NOT_EUC_KR');
    assert.match(errorOf(result.messages[1])?.message ?? '', /recipients\[1\]\.vars/);
  });

  it('throws NoValidRecipientsError (422) with every recipient error when none is usable', async () => {
    const fake = fakeSubmission();
    await assert.rejects(
      submitMessages(fake.context, { ...smsRequest, recipients: [{ to: 'nope' }, { to: '123' }] }),
      (error: unknown) => {
        assert.ok(error instanceof NoValidRecipientsError);
        assert.equal(error.code, 'HERALD_NO_VALID_RECIPIENTS');
        assert.equal(error.httpStatus, 422);
        assert.deepEqual(
          error.messages.map((m) => [m.index, m.error.code]),
          [
            [0, 'HERALD_INVALID_PHONE'],
            [1, 'HERALD_INVALID_PHONE'],
          ],
        );
        return true;
      },
    );
    assert.equal(fake.accepted.length, 0);
    assert.equal(fake.produced.length, 0);
  });
});

describe('submitMessages: SMS -> LMS upgrade per recipient', () => {
  const request: SubmissionRequest = {
    ...smsRequest,
    content: { body: `#{name}님, ${'가'.repeat(40)}` },
    recipients: [
      { to: phone(1), vars: { name: '김' } }, // 2 + 4 + 80 = 86 bytes: SMS
      { to: phone(2), vars: { name: '남궁민수' } }, // 8 + 4 + 80 = 92 bytes: LMS
    ],
  };

  it('sends the short one as SMS and the long one as LMS, on their own topics', async () => {
    const fake = fakeSubmission();
    const result = await submitMessages(fake.context, request);
    assert.deepEqual(
      result.messages.map((m) => 'channel' in m && m.channel),
      ['sms', 'lms'],
    );
    assert.deepEqual(
      fake.produced.map((r) => r.topic),
      ['herald.realtime.sms', 'herald.realtime.lms'],
    );
    assert.deepEqual(
      fake.accepted[0]?.messages.map((m) => m.channel),
      ['sms', 'lms'],
    );
  });

  it('with the upgrade off, rejects only the long one with HERALD_SMS_TOO_LONG', async () => {
    const fake = fakeSubmission();
    fake.config = { ...fake.config, smsAutoUpgrade: false };
    const result = await submitMessages(fake.context, request);
    assert.equal('status' in result.messages[0]! && result.messages[0].status, 'accepted');
    assert.equal(errorOf(result.messages[1])?.code, 'HERALD_SMS_TOO_LONG');
    assert.match(errorOf(result.messages[1])?.message ?? '', /92 EUC-KR bytes/);
  });
});

describe('submitMessages: refused recipients are recorded with the request', () => {
  it('records each refused recipient with the error the client was answered', async () => {
    const fake = fakeSubmission();
    const result = await submitMessages(fake.context, {
      ...smsRequest,
      recipients: [
        { to: 'nope', vars: { name: 'a' } },
        { to: phone(1), vars: { name: 'b' } },
        { to: phone(2) },
      ],
    });
    const answered = result.messages.filter((m) => 'error' in m);
    assert.deepEqual(
      answered.map((m) => m.index),
      [0, 2],
    );
    assert.deepEqual(fake.accepted[0]?.rejected, answered);
  });
});

describe('submitMessages: persistence failures', () => {
  it('marks the messages failed and throws HERALD_UNAVAILABLE (503) when the transport refuses them', async () => {
    const fake = fakeSubmission();
    fake.failProduce = true;
    await assert.rejects(submitMessages(fake.context, smsRequest), (error: unknown) => {
      assert.ok(error instanceof HeraldError);
      assert.equal(error.code, 'HERALD_UNAVAILABLE');
      assert.equal(error.httpStatus, 503);
      assert.equal(error.retryable, true);
      assert.equal(error.retryAfterMs, 2_000);
      return true;
    });
    assert.equal(fake.accepted.length, 0);
    assert.equal(fake.produced.length, 0);
    const failed = fake.events.filter((e) => e.status === 'failed');
    assert.equal(failed.length, 2);
    assert.ok(failed.every((e) => e.errorCode === 'HERALD_UNAVAILABLE'));
  });

  it("puts the request's history record and its messages in one produce: they land or fail together", async () => {
    const fake = fakeSubmission();
    const calls: OutgoingRecord[][] = [];
    const context = {
      ...fake.context,
      transport: {
        produce: async (records: readonly OutgoingRecord[]) => {
          calls.push([...records]);
          await fake.context.transport.produce(records);
        },
      },
    };
    const answer = await submitMessages(context, smsRequest);
    assert.equal(calls.length, 1);
    assert.deepEqual(calls[0]!.map((record) => record.topic).toSorted(), [
      HISTORY_TOPIC,
      sendTopic('realtime', 'sms'),
      sendTopic('realtime', 'sms'),
    ]);
    assert.equal(fake.accepted[0]?.requestId, answer.requestId);
    assert.deepEqual(
      fake.accepted[0]?.messages.map((m) => m.messageId).toSorted(),
      envelopes(fake.produced)
        .map((e) => e.messageId)
        .toSorted(),
    );
  });

  it('remembers a request for read-your-writes alongside its produce, before the answer', async () => {
    const fake = fakeSubmission();
    const remembered: AcceptedRequest[] = [];
    const rememberAccepted = async (request: AcceptedRequest) => {
      remembered.push(request);
    };
    const answer = await submitMessages({ ...fake.context, rememberAccepted }, smsRequest);
    assert.deepEqual(
      remembered.map((request) => request.requestId),
      [answer.requestId],
    );
    assert.deepEqual(remembered[0], fake.accepted[0]);
  });

  it('still answers when the queued events cannot be written (the messages are on the transport)', async () => {
    const fake = fakeSubmission();
    const warnings: string[] = [];
    const context = {
      ...fake.context,
      history: {
        ...fake.context.history,
        appendEvents: async () => {
          throw new Error('disk full');
        },
      },
      logger: {
        warn: (_details: object, message: string) => {
          warnings.push(message);
        },
      },
    };
    const result = await submitMessages(context, smsRequest);
    assert.equal(result.messages.length, 2);
    assert.equal(fake.produced.length, 2);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(warnings.length, 1);
  });

  it('times the stages of an accepted request, in order, each once', async () => {
    const fake = fakeSubmission();
    const stages: [string, number][] = [];
    const context = {
      ...fake.context,
      acceptStages: (stage: string, ms: number) => stages.push([stage, ms]),
    };
    await submitMessages(context, smsRequest);
    assert.deepEqual(
      stages.map(([stage]) => stage).filter((stage) => !stage.includes(':')),
      ['checks', 'dedup', 'queue'],
    );
    assert.ok(stages.every(([, ms]) => ms >= 0));
  });

  it("times the queue stage's two round trips apart, each no longer than the stage", async () => {
    const fake = fakeSubmission();
    const stages = new Map<string, number>();
    const context = {
      ...fake.context,
      // Read-your-writes that takes a while: the stage waits for it, the produce's part does not.
      rememberAccepted: () => new Promise<void>((resolve) => setTimeout(resolve, 30)),
      acceptStages: (stage: string, ms: number) => stages.set(stage, ms),
    };
    await submitMessages(context, smsRequest);
    assert.deepEqual([...stages.keys()].sort(), [
      'checks',
      'dedup',
      'queue',
      'queue:produce',
      'queue:remember',
    ]);
    assert.ok(stages.get('queue:remember')! >= 25, JSON.stringify([...stages]));
    assert.ok(stages.get('queue:produce')! < stages.get('queue:remember')!, JSON.stringify([...stages]));
    assert.ok(stages.get('queue')! >= stages.get('queue:remember')!, JSON.stringify([...stages]));
  });

  it('does not time a round trip that failed', async () => {
    const fake = fakeSubmission();
    fake.failProduce = true;
    const stages: string[] = [];
    const context = { ...fake.context, acceptStages: (stage: string) => stages.push(stage) };
    await assert.rejects(submitMessages(context, smsRequest), { code: 'HERALD_UNAVAILABLE' });
    assert.ok(!stages.includes('queue:produce') && !stages.includes('queue'), stages.join());
  });

  it('answers without waiting for the queued events to be written', async () => {
    const fake = fakeSubmission();
    let appended: MessageEvent[] | undefined;
    const context = {
      ...fake.context,
      history: {
        ...fake.context.history,
        // A history log that never confirms: the answer must not hang on it.
        appendEvents: (events: MessageEvent[]) => {
          appended = events;
          return new Promise<void>(() => {});
        },
      },
    };
    const result = await submitMessages(context, smsRequest);
    assert.equal(result.messages.length, 2);
    assert.equal(fake.produced.length, 2);
    assert.deepEqual(
      appended?.map((event) => event.status),
      ['queued', 'queued'],
    );
  });
});

describe('submitMessages: AlimTalk templates', () => {
  const alimtalk: SubmissionRequest = {
    clientId: 'shop',
    channel: 'alimtalk',
    lane: 'realtime',
    template: { code: 'ORDER_SHIPPED', vars: { orderNo: 'A-100' } },
    recipients: [
      { to: '01012345678', vars: { name: '김철수' } },
      { to: '01022223333', vars: { name: '이영희', orderNo: 'B-200' } },
      { to: '01033334444' },
    ],
  };

  it('carries the template code and merged variables; a recipient without a value is rejected', async () => {
    const fake = fakeSubmission({ templates: [ORDER_TEMPLATE] });
    const result = await submitMessages(fake.context, alimtalk);
    const sent = envelopes(fake.produced);
    assert.deepEqual(
      sent.map((e) => [e.template, e.content]),
      [
        [{ code: 'ORDER_SHIPPED', vars: { orderNo: 'A-100', name: '김철수' } }, undefined],
        [{ code: 'ORDER_SHIPPED', vars: { orderNo: 'B-200', name: '이영희' } }, undefined],
      ],
    );
    assert.deepEqual(
      fake.produced.map((r) => r.topic),
      ['herald.realtime.alimtalk', 'herald.realtime.alimtalk'],
    );
    const error = errorOf(result.messages[2]);
    assert.equal(error?.code, 'HERALD_MISSING_VARIABLE');
    assert.match(error?.message ?? '', /#\{name\}/);
  });

  it('refuses an unregistered template code and an AlimTalk without a template', async () => {
    const fake = fakeSubmission({ templates: [ORDER_TEMPLATE] });
    await assert.rejects(submitMessages(fake.context, { ...alimtalk, template: { code: 'NOPE' } }), {
      code: 'HERALD_TEMPLATE_NOT_FOUND',
      field: 'template.code',
    });
    const { template: _template, ...withoutTemplate } = alimtalk;
    await assert.rejects(submitMessages(fake.context, { ...withoutTemplate, content: { body: 'hi' } }), {
      code: 'HERALD_MISSING_CONTENT',
    });
  });
});
