import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SubmissionRequest } from '../../../src/core/submission/submission-types.ts';
import { submitIdempotently } from '../../../src/core/submission/submit-idempotently.ts';
import { fakeSubmission, smsRequest } from './fake-submission-context.ts';

const keyed: SubmissionRequest = { ...smsRequest, idempotencyKey: 'order-77' };

describe('submitIdempotently: no key', () => {
  it('submits every request anew and keeps no record', async () => {
    const fake = fakeSubmission();
    const { idempotencyKey: _key, ...plain } = keyed;
    const first = await submitIdempotently(fake.context, plain);
    const second = await submitIdempotently(fake.context, plain);
    assert.notEqual(first.result.requestId, second.result.requestId);
    assert.deepEqual([first.replayed, second.replayed], [false, false]);
    assert.equal(fake.produced.length, 4);
    assert.equal(fake.idempotencyRecords.size, 0);
  });
});

describe('submitIdempotently: same key, same body', () => {
  it('answers the first answer again, replayed, and queues nothing new', async () => {
    const fake = fakeSubmission();
    const first = await submitIdempotently(fake.context, keyed);
    const produced = fake.produced.length;
    const again = await submitIdempotently(fake.context, keyed);
    assert.equal(first.replayed, false);
    assert.equal(again.replayed, true);
    assert.deepEqual(again.result, first.result);
    assert.equal(fake.produced.length, produced);
    assert.equal(fake.accepted.length, 1, 'nothing more in history');
  });

  it('compares the body as sent, whatever the member order', async () => {
    const fake = fakeSubmission();
    const first = await submitIdempotently(fake.context, keyed);
    const reordered: SubmissionRequest = {
      recipients: keyed.recipients.map((r) => ({ vars: r.vars, to: r.to })),
      content: keyed.content,
      lane: keyed.lane,
      channel: keyed.channel,
      idempotencyKey: keyed.idempotencyKey,
      clientId: keyed.clientId,
    };
    const again = await submitIdempotently(fake.context, reordered);
    assert.equal(again.replayed, true);
    assert.equal(again.result.requestId, first.result.requestId);
  });

  it("keeps clients apart: another client's same key is a new request", async () => {
    const fake = fakeSubmission();
    const first = await submitIdempotently(fake.context, keyed);
    const other = await submitIdempotently(fake.context, { ...keyed, clientId: 'other-shop' });
    assert.equal(other.replayed, false);
    assert.notEqual(other.result.requestId, first.result.requestId);
  });
});

describe('submitIdempotently: same key, another body', () => {
  it('refuses with 422 HERALD_IDEMPOTENCY_KEY_REUSED and queues nothing', async () => {
    const fake = fakeSubmission();
    await submitIdempotently(fake.context, keyed);
    const produced = fake.produced.length;
    await assert.rejects(
      submitIdempotently(fake.context, { ...keyed, content: { body: '#{name}님 다른 문구' } }),
      (error: { code: string; httpStatus: number; message: string }) => {
        assert.equal(error.code, 'HERALD_IDEMPOTENCY_KEY_REUSED');
        assert.equal(error.httpStatus, 422);
        assert.match(error.message, /idempotency-key/);
        return true;
      },
    );
    assert.equal(fake.produced.length, produced);
  });
});

describe('submitIdempotently: a replay while the first is still being accepted', () => {
  it('is 409 HERALD_IDEMPOTENCY_IN_PROGRESS; once the first is done, a replay gets its answer', async () => {
    const fake = fakeSubmission();
    const held = fake.holdProduce();
    const first = submitIdempotently(fake.context, keyed);
    await held.reached;

    await assert.rejects(
      submitIdempotently(fake.context, keyed),
      (error: { code: string; httpStatus: number; retryAfterMs: number }) => {
        assert.equal(error.code, 'HERALD_IDEMPOTENCY_IN_PROGRESS');
        assert.equal(error.httpStatus, 409);
        assert.ok(error.retryAfterMs > 0, 'tells the client when to retry');
        return true;
      },
    );
    await assert.rejects(submitIdempotently(fake.context, { ...keyed, lane: 'batch' }), {
      code: 'HERALD_IDEMPOTENCY_KEY_REUSED',
    });

    held.release();
    const accepted = await first;
    assert.equal(fake.produced.length, 2, 'one send per recipient, for the first request only');
    const replay = await submitIdempotently(fake.context, keyed);
    assert.deepEqual(replay, { result: accepted.result, replayed: true });
  });
});

describe('submitIdempotently: nothing stored when nothing was accepted', () => {
  it('releases the key after a 503, so the retry with the same key goes through', async () => {
    const fake = fakeSubmission();
    fake.failProduce = true;
    await assert.rejects(submitIdempotently(fake.context, keyed), { code: 'HERALD_UNAVAILABLE' });
    assert.equal(fake.idempotencyRecords.size, 0);

    fake.failProduce = false;
    const retry = await submitIdempotently(fake.context, keyed);
    assert.equal(retry.replayed, false);
    assert.equal(fake.produced.length, 2);
  });

  it('releases the key after a refusal (422, no valid recipient), so a retry is judged anew', async () => {
    const fake = fakeSubmission();
    const invalid = { ...keyed, recipients: [{ to: 'not-a-number' }] };
    await assert.rejects(submitIdempotently(fake.context, invalid), { code: 'HERALD_NO_VALID_RECIPIENTS' });
    await assert.rejects(submitIdempotently(fake.context, invalid), { code: 'HERALD_NO_VALID_RECIPIENTS' });
    assert.equal(fake.idempotencyRecords.size, 0);
  });
});

describe('submitIdempotently: the idempotency store is down (fail-open)', () => {
  it('accepts the request, counts it, and a replay keeps the same message keys for the worker to dedup', async () => {
    const fake = fakeSubmission();
    fake.failIdempotency = true;
    const first = await submitIdempotently(fake.context, keyed);
    const second = await submitIdempotently(fake.context, keyed);
    assert.deepEqual([first.replayed, second.replayed], [false, false]);
    assert.equal(fake.idempotencyFailOpens, 2);
    const keys = fake.produced.map((record) => record.key);
    assert.deepEqual(keys.slice(2), keys.slice(0, 2), 'same Idempotency-Key, same message keys');
  });

  it('stays accepted when only the answer cannot be stored', async () => {
    const fake = fakeSubmission();
    const context = {
      ...fake.context,
      idempotency: {
        ...fake.context.idempotency,
        complete: async () => {
          throw new Error('connection reset');
        },
      },
    };
    const { result, replayed } = await submitIdempotently(context, keyed);
    assert.equal(replayed, false);
    assert.equal(result.messages.length, 2);
    assert.equal(fake.idempotencyFailOpens, 1);
  });
});
