import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SubmissionRequest } from '../../../src/core/submission/submission-types.ts';
import { submitMessages } from '../../../src/core/submission/submit-messages.ts';
import { envelopes, fakeSubmission, smsRequest } from './fake-submission-context.ts';

/**
 * Which recipients become new messages (dedup-plan.ts) under which keys (key-messages.ts), seen
 * through the use-case: without an Idempotency-Key and without content dedup every request is
 * new; content dedup is the client's explicit choice.
 */
describe('submitMessages: no Idempotency-Key, no content dedup: every request is new', () => {
  it('sends the same text to the same numbers twice for two requests, under different message keys', async () => {
    const fake = fakeSubmission();
    const first = await submitMessages(fake.context, smsRequest);
    const second = await submitMessages(fake.context, smsRequest);

    assert.notEqual(second.requestId, first.requestId);
    assert.ok(second.messages.every((m) => 'status' in m && m.status === 'accepted'));
    assert.equal(fake.produced.length, 4, 'both requests are queued');
    const [firstKeys, secondKeys] = [fake.produced.slice(0, 2), fake.produced.slice(2)].map((records) =>
      records.map((r) => r.key),
    );
    assert.equal(new Set([...firstKeys!, ...secondKeys!]).size, 4, 'no key shared across the requests');
    assert.ok(!fake.events.some((e) => e.status === 'duplicate'));
  });

  it('claims no content key', async () => {
    const fake = fakeSubmission();
    await submitMessages(fake.context, smsRequest);
    assert.equal(fake.contentClaims.size, 0);
  });

  it('keys each message by its request, and the same key travels to history and the transport', async () => {
    const fake = fakeSubmission();
    await submitMessages(fake.context, smsRequest);
    const envelopeKeys = envelopes(fake.produced).map((e) => e.key);
    assert.deepEqual(
      envelopeKeys,
      fake.accepted[0]?.messages.map((m) => m.key),
    );
    assert.deepEqual(
      fake.produced.map((r) => r.key),
      envelopeKeys,
      'records are partitioned by the key the worker dedups a redelivery on',
    );
  });

  it('makes the second of two identical recipients in one request a duplicate of the first', async () => {
    const fake = fakeSubmission();
    const result = await submitMessages(fake.context, {
      ...smsRequest,
      recipients: [
        { to: '010-1234-5678', vars: { name: 'Kim' } },
        { to: '01012345678', vars: { name: 'Kim' } },
      ],
    });
    const [first, second] = result.messages;
    assert.ok(first && 'status' in first && first.status === 'accepted');
    assert.ok(second && 'status' in second && second.status === 'duplicate');
    assert.equal(second.messageId, first.messageId);
    assert.equal(fake.produced.length, 1);
    assert.deepEqual(fake.accepted[0]?.duplicates, [{ index: 1, messageId: first.messageId }]);
  });

  it('sends one recipient listed twice with different texts twice (two orders, two messages)', async () => {
    const fake = fakeSubmission();
    const result = await submitMessages(fake.context, {
      ...smsRequest,
      recipients: [
        { to: '010-1234-5678', vars: { name: 'order 1' } },
        { to: '01012345678', vars: { name: 'order 2' } },
      ],
    });
    assert.ok(result.messages.every((m) => 'status' in m && m.status === 'accepted'));
    assert.equal(fake.produced.length, 2);
  });
});

describe('submitMessages: content dedup (dedup.byContent)', () => {
  const byContent = { ...smsRequest, dedup: { byContent: true } };

  it('answers a recipient sent the same content before with the earlier message id, even on another lane', async () => {
    const fake = fakeSubmission();
    const first = await submitMessages(fake.context, byContent);
    const produced = fake.produced.length;
    const second = await submitMessages(fake.context, { ...byContent, lane: 'batch' });

    assert.deepEqual(
      second.messages.map((m) => 'status' in m && [m.messageId, m.status]),
      first.messages.map((m) => 'status' in m && [m.messageId, 'duplicate']),
    );
    assert.equal(fake.produced.length, produced);
    assert.deepEqual(fake.accepted[1]?.messages, []);
    const duplicateEvents = fake.events.filter((e) => e.status === 'duplicate');
    assert.deepEqual(
      duplicateEvents.map((e) => [e.messageId, e.requestId]),
      first.messages.map((m) => 'messageId' in m && [m.messageId, second.requestId]),
    );
  });

  it('claims each message content key in the dedup store for the window, not in history', async () => {
    const fake = fakeSubmission();
    const withWindow = { ...smsRequest, dedup: { byContent: true, windowSeconds: 60 } };
    const result = await submitMessages(fake.context, withWindow);
    assert.deepEqual(
      [...fake.contentClaims.entries()].map(([key, claim]) => [key, claim.messageId, claim.expiresAt]),
      fake.accepted[0]!.messages.map((m) => [m.key, m.messageId, fake.now + 60_000]),
    );
    assert.deepEqual(
      result.messages.map((m) => 'messageId' in m && m.messageId),
      fake.accepted[0]!.messages.map((m) => m.messageId),
    );
  });

  it('gives two identical requests racing each other one winner', async () => {
    const fake = fakeSubmission();
    const [first, second] = await Promise.all([
      submitMessages(fake.context, byContent),
      submitMessages(fake.context, byContent),
    ]);
    const statuses = [first, second].map((r) => r.messages.map((m) => 'status' in m && m.status));
    assert.deepEqual(statuses, [
      ['accepted', 'accepted'],
      ['duplicate', 'duplicate'],
    ]);
    assert.deepEqual(
      second.messages.map((m) => 'messageId' in m && m.messageId),
      first.messages.map((m) => 'messageId' in m && m.messageId),
    );
    assert.equal(fake.produced.length, 2, 'each message queued once');
  });

  it('fails open when the dedup store is down: every message is new, with a warning', async () => {
    const fake = fakeSubmission();
    const warnings: string[] = [];
    const context = {
      ...fake.context,
      logger: { warn: (_: object, message: string) => warnings.push(message) },
    };
    await submitMessages(context, byContent);
    fake.failDedup = true;
    const second = await submitMessages(context, byContent);
    assert.ok(second.messages.every((m) => 'status' in m && m.status === 'accepted'));
    assert.equal(fake.produced.length, 4);
    assert.equal(warnings.length, 1);
  });

  it('frees its claims when the messages cannot be queued, so the retry is not a duplicate of them', async () => {
    const fake = fakeSubmission();
    fake.failProduce = true;
    await assert.rejects(submitMessages(fake.context, byContent), { code: 'HERALD_UNAVAILABLE' });
    assert.equal(fake.contentClaims.size, 0);
    fake.failProduce = false;
    const retry = await submitMessages(fake.context, byContent);
    assert.ok(retry.messages.every((m) => 'status' in m && m.status === 'accepted'));
  });

  it('a recipient repeated in the request of a claimed key is a duplicate of the earlier message', async () => {
    const fake = fakeSubmission();
    const once = { ...byContent, recipients: [{ to: '010-1234-5678', vars: { name: 'Kim' } }] };
    const first = await submitMessages(fake.context, once);
    const twice = { ...once, recipients: [...once.recipients, { to: '01012345678', vars: { name: 'Kim' } }] };
    const second = await submitMessages(fake.context, twice);
    const earlierId = first.messages[0] && 'messageId' in first.messages[0] && first.messages[0].messageId;
    assert.deepEqual(
      second.messages.map((m) => 'status' in m && [m.messageId, m.status]),
      [
        [earlierId, 'duplicate'],
        [earlierId, 'duplicate'],
      ],
    );
    assert.equal(fake.produced.length, 1);
  });

  it('only against earlier requests that asked for it too', async () => {
    const fake = fakeSubmission();
    await submitMessages(fake.context, smsRequest);
    const later = await submitMessages(fake.context, byContent);
    assert.ok(later.messages.every((m) => 'status' in m && m.status === 'accepted'));
  });

  /** Submits `request`, then again after each clock step: the statuses each repeat was answered. */
  async function repeatedAfter(request: SubmissionRequest, steps: readonly number[]) {
    const fake = fakeSubmission();
    await submitMessages(fake.context, request);
    const answers: (string | undefined)[][] = [];
    for (const step of steps) {
      fake.now += step;
      const result = await submitMessages(fake.context, request);
      answers.push(result.messages.map((m) => ('status' in m ? m.status : undefined)));
    }
    return answers;
  }

  it('looks back windowSeconds; after it the same content is a new message', async () => {
    const withWindow = { ...smsRequest, dedup: { byContent: true, windowSeconds: 60 } };
    assert.deepEqual(await repeatedAfter(withWindow, [59_000, 2_000]), [
      ['duplicate', 'duplicate'],
      ['accepted', 'accepted'],
    ]);
  });

  it("keeps the message key request-scoped, so the worker's longer dedup window cannot stop a repeat the client allows", async () => {
    const fake = fakeSubmission();
    const withWindow = { ...smsRequest, dedup: { byContent: true, windowSeconds: 60 } };
    await submitMessages(fake.context, withWindow);
    fake.now += 61_000;
    await submitMessages(fake.context, withWindow);
    const keys = envelopes(fake.produced).map((e) => e.key);
    assert.equal(new Set(keys).size, 4);
    assert.deepEqual(
      fake.accepted.map((r) => r.messages.map((m) => m.key)),
      [fake.accepted[0]!.messages.map((m) => m.key), fake.accepted[0]!.messages.map((m) => m.key)],
      'history keeps the content key, the same for both',
    );
  });

  it('without windowSeconds, looks back the dedup window of the remote config', async () => {
    const windowMs = fakeSubmission().config.dedup.windowMs;
    assert.deepEqual(await repeatedAfter(byContent, [windowMs - 1, 2]), [
      ['duplicate', 'duplicate'],
      ['accepted', 'accepted'],
    ]);
  });

  it('refuses windowSeconds without byContent: true, or out of bounds, naming the field', async () => {
    const fake = fakeSubmission();
    for (const dedup of [
      { byContent: false, windowSeconds: 60 },
      { byContent: true, windowSeconds: 0 },
      { byContent: true, windowSeconds: 7 * 86_400 + 1 },
      { byContent: true, windowSeconds: 1.5 },
    ]) {
      await assert.rejects(submitMessages(fake.context, { ...smsRequest, dedup }), {
        code: 'HERALD_VALIDATION_FAILED',
        field: 'dedup.windowSeconds',
      });
    }
    assert.equal(fake.produced.length, 0);
  });
});
