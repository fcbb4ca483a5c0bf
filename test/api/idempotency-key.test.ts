import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestApp } from './test-app.ts';
import { auth, buildTestApp, smsBody } from './test-app.ts';

/** POST /v1/messages as clients meet it: without a key every request is new; with one, retries are safe. */
describe('POST /v1/messages and the Idempotency-Key', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.app.close());

  const post = (body: object, key?: string) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/messages',
      headers: { ...auth(), ...(key === undefined ? {} : { 'idempotency-key': key }) },
      payload: body,
    });

  it('without a key, the same body twice is two requests, each queued (two orders, two messages)', async () => {
    const body = smsBody({ content: { body: 'your order is on its way #{name}' } });
    const produced = t.submission.produced.length;
    const [first, second] = [await post(body), await post(body)];
    assert.deepEqual([first.statusCode, second.statusCode], [202, 202]);
    assert.notEqual(first.json().requestId, second.json().requestId);
    assert.deepEqual([first.json().accepted, second.json().accepted, second.json().duplicates], [1, 1, 0]);
    assert.equal(t.submission.produced.length - produced, 2);
    assert.equal(second.headers['idempotent-replayed'], undefined);
  });

  it('the same key and body answer the first 202 again, byte for byte, with Idempotent-Replayed: true', async () => {
    const body = smsBody({ content: { body: 'replayed #{name}' } });
    const first = await post(body, 'order-991');
    const produced = t.submission.produced.length;
    const reordered = {
      recipients: body.recipients,
      content: body.content,
      lane: body.lane,
      channel: body.channel,
    };
    const again = await post(reordered, 'order-991');
    assert.equal(again.statusCode, 202);
    assert.equal(again.body, first.body);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.equal(first.headers['idempotent-replayed'], undefined);
    assert.equal(t.submission.produced.length, produced, 'nothing new queued');
  });

  it('the same key with another body is 422 HERALD_IDEMPOTENCY_KEY_REUSED', async () => {
    await post(smsBody({ content: { body: 'first #{name}' } }), 'order-992');
    const reused = await post(smsBody({ content: { body: 'changed #{name}' } }), 'order-992');
    assert.equal(reused.statusCode, 422);
    assert.equal(reused.json().error.code, 'HERALD_IDEMPOTENCY_KEY_REUSED');
    assert.deepEqual(Object.keys(reused.json()), ['error']);
  });

  it('two requests with one key at once: one 202, one 409 HERALD_IDEMPOTENCY_IN_PROGRESS with Retry-After', async () => {
    const body = smsBody({ content: { body: 'concurrent #{name}' } });
    const produced = t.submission.produced.length;
    const held = t.submission.holdProduce();
    const first = post(body, 'order-993');
    await held.reached;
    const second = await post(body, 'order-993');
    held.release();
    assert.equal((await first).statusCode, 202);
    assert.equal(second.statusCode, 409);
    assert.equal(second.json().error.code, 'HERALD_IDEMPOTENCY_IN_PROGRESS');
    assert.ok(Number(second.headers['retry-after']) >= 1);
    assert.equal(t.submission.produced.length - produced, 1, 'one send');
  });

  it('a 503 stores nothing: the retry with the same key is accepted', async () => {
    const body = smsBody({ content: { body: 'after an outage #{name}' } });
    t.submission.failProduce = true;
    try {
      assert.equal((await post(body, 'order-994')).statusCode, 503);
    } finally {
      t.submission.failProduce = false;
    }
    const retry = await post(body, 'order-994');
    assert.equal(retry.statusCode, 202);
    assert.equal(retry.json().accepted, 1);
    assert.equal(retry.headers['idempotent-replayed'], undefined);
  });

  it('dedup.byContent answers a repeat of the same text to the same number duplicate', async () => {
    const body = smsBody({
      content: { body: 'once a day #{name}' },
      dedup: { byContent: true, windowSeconds: 86_400 },
    });
    const first = (await post(body)).json();
    const again = await post(body);
    assert.equal(again.statusCode, 202);
    assert.deepEqual(
      [again.json().accepted, again.json().duplicates, again.json().messages[0].messageId],
      [0, 1, first.messages[0].messageId],
    );
  });

  it('refuses a dedup option that makes no sense, naming the field', async () => {
    for (const dedup of [
      { byContent: true, windowSeconds: 0 },
      { byContent: true, windowSeconds: 604_801 },
      { byContent: false, windowSeconds: 60 },
      { windowSeconds: 60 },
      { byContent: true, window: 60 },
    ]) {
      const response = await post(smsBody({ dedup }));
      assert.equal(response.statusCode, 400, JSON.stringify(dedup));
      assert.equal(response.json().error.code, 'HERALD_VALIDATION_FAILED');
      assert.match(response.json().error.message, /dedup/);
    }
  });
});
