import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { MessageView, RequestView } from '../../src/ports/history-store.ts';
import type { TestApp } from './test-app.ts';
import { ADMIN_KEY, auth, buildTestApp, CLIENT_KEY, REVOKED_KEY, smsBody } from './test-app.ts';

describe('public API', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.app.close());

  describe('authentication', () => {
    it('answers 401 HERALD_UNAUTHORIZED without a key', async () => {
      const response = await t.app.inject({ method: 'POST', url: '/v1/messages', payload: smsBody() });
      assert.equal(response.statusCode, 401);
      assert.equal(response.json().error.code, 'HERALD_UNAUTHORIZED');
      assert.match(response.headers['www-authenticate'] as string, /^Bearer/);
    });

    it('answers 401 for an unknown key, a revoked key and a non-bearer scheme', async () => {
      for (const authorization of ['Bearer hk_nope', `Bearer ${REVOKED_KEY}`, `Basic ${CLIENT_KEY}`]) {
        const response = await t.app.inject({
          method: 'GET',
          url: '/v1/requests/x',
          headers: { authorization },
        });
        assert.equal(response.statusCode, 401, authorization);
        assert.equal(response.json().error.code, 'HERALD_UNAUTHORIZED');
      }
    });

    it('checks the key before reading the body (no 400 for a bad body without a key)', async () => {
      const response = await t.app.inject({
        method: 'POST',
        url: '/v1/messages',
        headers: { 'content-type': 'application/json' },
        payload: '{not json',
      });
      assert.equal(response.statusCode, 401);
    });
  });

  describe('POST /v1/messages', () => {
    it('answers 202 with one entry per recipient', async () => {
      const response = await t.app.inject({
        method: 'POST',
        url: '/v1/messages',
        headers: auth(),
        payload: smsBody({
          recipients: [
            { to: '010-1234-5678', vars: { name: 'Kim' } },
            { to: '02-123-4567', vars: { name: 'Lee' } },
          ],
        }),
      });
      assert.equal(response.statusCode, 202);
      const body = response.json();
      assert.match(body.requestId, /^[0-9a-f-]{36}$/);
      assert.deepEqual(
        { accepted: body.accepted, duplicates: body.duplicates, rejected: body.rejected },
        { accepted: 1, duplicates: 0, rejected: 1 },
      );
      assert.deepEqual(Object.keys(body.messages[0]).sort(), ['channel', 'index', 'messageId', 'status']);
      assert.equal(body.messages[0].status, 'accepted');
      assert.equal(body.messages[0].channel, 'sms');
      assert.equal(body.messages[1].index, 1);
      assert.equal(body.messages[1].error.code, 'HERALD_INVALID_PHONE');
      assert.match(body.messages[1].error.message, /recipients\[1\]\.to/);
      assert.equal(t.submission.accepted.at(-1)?.clientId, 'shop');
    });

    it('answers 503 with Retry-After when the transport cannot take the messages', async () => {
      t.submission.failProduce = true;
      try {
        const response = await t.app.inject({
          method: 'POST',
          url: '/v1/messages',
          headers: auth(),
          payload: smsBody({ content: { body: 'unique 503 #{name}' } }),
        });
        assert.equal(response.statusCode, 503);
        assert.equal(response.json().error.code, 'HERALD_UNAVAILABLE');
        assert.equal(response.headers['retry-after'], '2');
      } finally {
        t.submission.failProduce = false;
      }
    });

    it('answers 422 HERALD_NO_VALID_RECIPIENTS with each recipient error when none is usable', async () => {
      const response = await t.app.inject({
        method: 'POST',
        url: '/v1/messages',
        headers: auth(),
        payload: smsBody({ recipients: [{ to: 'abc', vars: { name: 'x' } }, { to: '010-1234-5678' }] }),
      });
      assert.equal(response.statusCode, 422);
      const body = response.json();
      assert.equal(body.error.code, 'HERALD_NO_VALID_RECIPIENTS');
      assert.deepEqual(
        body.messages.map((m: { index: number; error: { code: string } }) => [m.index, m.error.code]),
        [
          [0, 'HERALD_INVALID_PHONE'],
          [1, 'HERALD_MISSING_VARIABLE'],
        ],
      );
    });

    it('accepts an admin key on the client API too', async () => {
      const response = await t.app.inject({
        method: 'POST',
        url: '/v1/messages',
        headers: auth(ADMIN_KEY),
        payload: smsBody({ content: { body: 'admin #{name}' } }),
      });
      assert.equal(response.statusCode, 202);
      assert.equal(t.submission.accepted.at(-1)?.clientId, 'ops');
    });
  });

  describe('GET /v1/requests/:id and /v1/messages/:id', () => {
    const requestView: RequestView = {
      requestId: 'req-1',
      clientId: 'shop',
      channel: 'sms',
      lane: 'realtime',
      acceptedAt: 1,
      messages: [
        {
          index: 0,
          messageId: 'm-1',
          status: 'sent',
          vendor: 'sim-sms-a',
          attempts: 1,
          error: null,
          duplicate: false,
        },
      ],
    };
    const messageView: MessageView = {
      messageId: 'm-1',
      requestId: 'req-1',
      clientId: 'shop',
      channel: 'sms',
      lane: 'realtime',
      recipient: '010****5678',
      status: 'sent',
      vendor: 'sim-sms-a',
      attempts: 1,
      error: null,
      createdAt: 1,
      updatedAt: 2,
      events: [
        { messageId: 'm-1', status: 'queued', at: 1 },
        { messageId: 'm-1', status: 'sent', at: 2, vendor: 'sim-sms-a', attempt: 1, latencyMs: 12 },
      ],
    };

    it('returns the request with per-recipient status', async () => {
      t.requests.set('req-1', requestView);
      const response = await t.app.inject({ method: 'GET', url: '/v1/requests/req-1', headers: auth() });
      assert.equal(response.statusCode, 200);
      const body = response.json();
      assert.equal(body.requestId, 'req-1');
      assert.deepEqual(body.messages, requestView.messages);
    });

    it('shows a recipient refused at submission as { index, error }, the shape of the 202 answer', async () => {
      const refused = { index: 1, error: { code: 'HERALD_INVALID_PHONE', message: 'recipients[1].to ...' } };
      t.requests.set('req-2', {
        ...requestView,
        requestId: 'req-2',
        messages: [...requestView.messages, refused],
      });
      const response = await t.app.inject({ method: 'GET', url: '/v1/requests/req-2', headers: auth() });
      assert.equal(response.statusCode, 200);
      assert.deepEqual(response.json().messages, [...requestView.messages, refused]);
    });

    it('returns a message with its event history', async () => {
      t.messages.set('m-1', messageView);
      const response = await t.app.inject({ method: 'GET', url: '/v1/messages/m-1', headers: auth() });
      assert.equal(response.statusCode, 200);
      const body = response.json();
      assert.equal(body.recipient, '010****5678');
      assert.deepEqual(
        body.events.map((e: { status: string }) => e.status),
        ['queued', 'sent'],
      );
      assert.equal(body.events[1].latencyMs, 12);
    });

    it("answers 404 HERALD_NOT_FOUND for an unknown id and for another client's request", async () => {
      t.requests.set('req-other', { ...requestView, requestId: 'req-other', clientId: 'someone-else' });
      for (const url of ['/v1/requests/nope', '/v1/requests/req-other', '/v1/messages/nope']) {
        const response = await t.app.inject({ method: 'GET', url, headers: auth() });
        assert.equal(response.statusCode, 404, url);
        assert.equal(response.json().error.code, 'HERALD_NOT_FOUND');
      }
    });
  });
});

describe('API key cache', () => {
  it('looks a key up once within the cache TTL', async () => {
    const t = await buildTestApp();
    try {
      for (let i = 0; i < 3; i += 1) {
        await t.app.inject({ method: 'GET', url: '/v1/requests/x', headers: auth(CLIENT_KEY) });
      }
      assert.equal(t.keyLookups.count, 1);
    } finally {
      await t.app.close();
    }
  });
});
