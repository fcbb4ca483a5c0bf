import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { callbacksDeadTopic } from '../../src/core/callbacks/callback-topics.ts';
import { startTestHerald, type TestHerald, waitFor, waitForRequest } from '../support/herald-harness.ts';
import { liftRateLimits } from '../support/lifted-rate-limits.ts';
import { readTopic } from '../support/read-topic.ts';
import {
  LOOPBACK,
  messageIdsOf,
  sendSms,
  setCallbacks,
  verifies,
  waitForEvents,
} from '../support/status-callbacks.ts';
import { type ReceivedCallback, WebhookReceiver } from '../support/webhook-receiver.ts';

describe('status callbacks (embedded)', () => {
  let h: TestHerald;
  before(async () => {
    h = await startTestHerald();
    await liftRateLimits(h);
  });
  after(async () => h.stop());

  it('delivers every status change of 1,000 messages, signed, after refusing the first three attempts', async () => {
    const receiver = new WebhookReceiver((n) => (n < 3 ? 503 : 200));
    try {
      await setCallbacks(h, LOOPBACK);
      const registered = await h.call('PUT', '/v1/webhooks', { url: await receiver.start() });
      assert.equal(registered.status, 200, JSON.stringify(registered.body));
      const secret: string = registered.body.secret;
      assert.match(secret, /^whsec_/);
      const messageIds = await messageIdsOf(h, await sendSms(h, 1_000, 0));
      await waitForEvents(receiver, messageIds, 'sent');
      assert.ok(receiver.answered.filter((a) => a.status === 503).length === 3);
      for (const callback of receiver.received) assert.ok(verifies(secret, callback), 'a valid signature');
      // A retried batch carries the same webhook-id as its first attempt (the receiver's dedup key).
      const refusedIds = receiver.received.slice(0, 3).map((callback) => callback.headers['webhook-id']);
      const laterIds = new Set(receiver.received.slice(3).map((callback) => callback.headers['webhook-id']));
      for (const id of refusedIds) assert.ok(laterIds.has(id), 'the refused batch came again with its id');
      const event = receiver.events()[0];
      assert.equal(event.type, `message.${event.data.status}`);
      assert.deepEqual(
        Object.keys(event.data).filter((key) => /recipient|to|phone/i.test(key)),
        [],
        'no recipient in a callback',
      );
      const view = await h.call('GET', '/v1/webhooks');
      assert.equal(view.body.state, 'active');
      assert.equal(view.body.secret, undefined, 'GET never shows the secret');
      assert.equal(JSON.stringify(view.body).includes(secret), false);
    } finally {
      await h.call('DELETE', '/v1/webhooks');
      await receiver.close();
    }
  });

  it('never holds up sending: messages reach sent while the receiver hangs', async () => {
    const receiver = new WebhookReceiver(() => 'hang');
    try {
      await setCallbacks(h, LOOPBACK);
      await h.call('PUT', '/v1/webhooks', { url: await receiver.start() });
      const [requestId] = await sendSms(h, 50, 10_000);
      await waitFor(async () => receiver.hanging > 0, 30_000, 'the receiver to hold a callback');
      const view = await waitForRequest(h, requestId!, ['sent']);
      assert.equal(view.messages.length, 50);
      assert.ok(receiver.hanging > 0, 'the receiver still hangs');
    } finally {
      await h.call('DELETE', '/v1/webhooks');
      await receiver.close();
    }
  });

  it('refuses at registration what the allowlist does not cover, saying what to add', async () => {
    const receiver = new WebhookReceiver();
    const url = await receiver.start();
    try {
      await setCallbacks(h, { allow: [] });
      const unlisted = await h.call('PUT', '/v1/webhooks', { url: url.replace('http:', 'https:') });
      assert.equal(unlisted.status, 422);
      assert.equal(unlisted.body.error.code, 'HERALD_CALLBACK_URL_NOT_ALLOWED');
      assert.match(unlisted.body.error.message, /add "127\.0\.0\.1"/);

      const plainHttp = await h.call('PUT', '/v1/webhooks', { url: 'http://hooks.example.com/x' });
      assert.equal(plainHttp.body.error.code, 'HERALD_CALLBACK_URL_NOT_ALLOWED');
      assert.match(plainHttp.body.error.message, /allowHttp/);

      await setCallbacks(h, { allow: ['localhost'] });
      const metadata = await h.call('PUT', '/v1/webhooks', { url: 'https://169.254.169.254/latest' });
      assert.equal(metadata.status, 422);
      assert.equal(metadata.body.error.code, 'HERALD_CALLBACK_URL_NOT_ALLOWED');
      // A listed name that resolves to loopback, which no listed network holds.
      const name = await h.call('PUT', '/v1/webhooks', { url: `https://localhost:${receiver.port}/hook` });
      assert.equal(name.status, 422);
      assert.match(name.body.error.message, /loopback/);

      await setCallbacks(h, { allow: ['127.0.0.1'], allowHttp: ['127.0.0.1'] });
      const own = await h.call('PUT', '/v1/webhooks', { url: `${h.url}/v1/messages` });
      assert.equal(own.status, 422);
      assert.match(own.body.error.message, /herald's own port/);

      const invalid = await h.call('PUT', '/v1/webhooks', { url: 'https://user:pw@hooks.example.com/' });
      assert.equal(invalid.status, 400);
      assert.equal(invalid.body.error.code, 'HERALD_CALLBACK_URL_INVALID');
      assert.equal((await h.call('GET', '/v1/webhooks')).status, 404);
    } finally {
      await receiver.close();
    }
  });

  it('checks the address again at each send: a name whose address the allowlist no longer covers is not called', async () => {
    const receiver = new WebhookReceiver();
    await receiver.start();
    try {
      const listed = {
        allow: ['localhost', '127.0.0.1', '::1'],
        allowHttp: ['localhost'],
        retryBaseDelayMs: 20,
      };
      await setCallbacks(h, { ...LOOPBACK, ...listed });
      const registered = await h.call('PUT', '/v1/webhooks', {
        url: `http://localhost:${receiver.port}/hook`,
      });
      assert.equal(registered.status, 200, JSON.stringify(registered.body));
      // Loopback is no longer covered: the name still matches, its addresses do not.
      await setCallbacks(h, { ...LOOPBACK, allow: ['localhost'], allowHttp: ['localhost'] });
      await sendSms(h, 1, 20_000);
      const view = await waitFor(
        async () => {
          const answer = await h.call('GET', '/v1/webhooks');
          return answer.body.lastError ? answer.body : undefined;
        },
        30_000,
        'the refused send to be recorded',
      );
      assert.equal(view.lastError.error, 'HERALD_CALLBACK_ADDRESS_REFUSED');
      assert.equal(receiver.received.length, 0, 'nothing reached the receiver');
    } finally {
      await h.call('DELETE', '/v1/webhooks');
      await receiver.close();
    }
  });

  it('signs with both secrets during a rotation, and with the new one only after it', async () => {
    const receiver = new WebhookReceiver();
    try {
      await setCallbacks(h, LOOPBACK);
      const url = await receiver.start();
      const first = (await h.call('PUT', '/v1/webhooks', { url })).body.secret as string;
      const rotated = await h.call('PUT', '/v1/webhooks', { url, rotateSecret: true });
      const second = rotated.body.secret as string;
      assert.notEqual(second, first);
      assert.ok(rotated.body.webhook.previousSecretUntil > Date.now());
      const during = await messageIdsOf(h, await sendSms(h, 5, 30_000));
      await waitForEvents(receiver, during, 'sent');
      // Only the callbacks of these messages: an earlier test's retries may reach this receiver too.
      const of = (ids: readonly string[]) => (callback: ReceivedCallback) =>
        callback.events.some((event) => ids.includes(event.data.messageId));
      for (const callback of receiver.received.filter(of(during))) {
        assert.equal(callback.headers['webhook-signature']!.split(' ').length, 2);
        assert.ok(verifies(first, callback) && verifies(second, callback), 'both secrets verify');
      }
      // End the overlap now: from here only the new secret signs.
      const ended = await h.call('PUT', '/v1/webhooks', { url, previousSecretTtlSeconds: 0 });
      assert.equal(ended.body.secret, undefined, 'no new secret without rotateSecret');
      assert.equal(ended.body.webhook.previousSecretUntil, undefined);
      const seen = receiver.received.length;
      const afterwards = await messageIdsOf(h, await sendSms(h, 5, 30_100));
      await waitForEvents(receiver, afterwards, 'sent');
      for (const callback of receiver.received.slice(seen).filter(of(afterwards))) {
        assert.equal(callback.headers['webhook-signature']!.split(' ').length, 1);
        assert.ok(verifies(second, callback));
        assert.equal(verifies(first, callback), false, 'the previous secret no longer verifies');
      }
    } finally {
      await h.call('DELETE', '/v1/webhooks');
      await receiver.close();
    }
  });

  it('pauses a receiver that keeps failing, keeps its events, and delivers them on resume', async () => {
    const receiver = new WebhookReceiver(() => 503);
    try {
      await setCallbacks(h, { ...LOOPBACK, pauseAfterMs: 0 });
      await h.call('PUT', '/v1/webhooks', { url: await receiver.start() });
      const messageIds = await messageIdsOf(h, await sendSms(h, 5, 40_000));
      const paused = await waitFor(
        async () => {
          const answer = await h.call('GET', '/v1/webhooks');
          return answer.body.state === 'paused' ? answer.body : undefined;
        },
        30_000,
        'the webhook to be paused',
      );
      assert.equal(paused.lastError.status, 503);
      assert.equal(typeof paused.pausedAt, 'number');
      assert.equal(receiver.events().length, 0, 'nothing taken while it failed');
      receiver.behaviour = () => 200;
      const resumed = await h.call('POST', '/v1/webhooks/resume');
      assert.equal(resumed.status, 200);
      assert.equal(resumed.body.state, 'active');
      await waitForEvents(receiver, messageIds, 'sent');
    } finally {
      await h.call('DELETE', '/v1/webhooks');
      await receiver.close();
    }
  });
  it('follows no redirect: a 3xx is a failure, retried at the registered URL', async () => {
    const receiver = new WebhookReceiver((n) => (n === 0 ? 302 : 200));
    try {
      await setCallbacks(h, LOOPBACK);
      const url = await receiver.start();
      await h.call('PUT', '/v1/webhooks', { url });
      const messageIds = await messageIdsOf(h, await sendSms(h, 1, 45_000));
      await waitForEvents(receiver, messageIds, 'sent');
      assert.equal(receiver.answered[0]?.status, 302);
      const view = (await h.call('GET', '/v1/webhooks')).body;
      assert.equal(view.lastError.status, 302);
      assert.equal(view.failingSince, undefined, 'the later success cleared the failure');
    } finally {
      await h.call('DELETE', '/v1/webhooks');
      await receiver.close();
    }
  });

  it('gives a batch up after the retry window, keeping it on the dead topic, counted', async () => {
    const receiver = new WebhookReceiver(() => 500);
    try {
      await setCallbacks(h, { ...LOOPBACK, giveUpAfterMs: 1_000, pauseAfterMs: 3_600_000 });
      await h.call('PUT', '/v1/webhooks', { url: await receiver.start() });
      const [messageId] = await messageIdsOf(h, await sendSms(h, 1, 50_000));
      const metrics = h.herald.metrics;
      await waitFor(
        async () => (await metrics.count(metrics.callbacks, { outcome: 'dead' })) > 0,
        30_000,
        'a batch given up',
      );
      // Receipts of earlier tests' messages (delivered callbacks) may be given up first: read the
      // dead topic afresh until the batch with this message is there too.
      let probe = 0;
      const kept = await waitFor(
        async () => {
          const dead = await readTopic(
            h.herald.stores.transport,
            callbacksDeadTopic(),
            1,
            `dead-probe-${probe++}`,
          );
          const records = dead.map((record) => JSON.parse(record.value));
          const found = records.some((record) =>
            record.events.some(
              (event: { data: { messageId: string } }) => event.data.messageId === messageId,
            ),
          );
          return found ? records : undefined;
        },
        30_000,
        'the given-up event kept on the dead topic',
      );
      assert.ok(kept.every((record) => record.reason === 'retry window ended'));
    } finally {
      await h.call('DELETE', '/v1/webhooks');
      await receiver.close();
    }
  });

  it('describes the webhook routes in the OpenAPI document', async () => {
    const document = (await h.call('GET', '/openapi.json')).body;
    const webhooks = document.paths['/v1/webhooks'];
    assert.ok(webhooks?.put && webhooks.get && webhooks.delete);
    assert.ok(document.paths['/v1/webhooks/resume']?.post);
    assert.ok(JSON.stringify(document).includes('callbacks'), 'the remote config callbacks section');
  });
});
