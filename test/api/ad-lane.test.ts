import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hashRecipient } from '../../src/core/identity/recipient-privacy.ts';
import type { TestApp } from './test-app.ts';
import { ADMIN_KEY, auth, buildTestApp } from './test-app.ts';

const AD_BODY = '(광고) 헤럴드마트 봄 세일 20%\n무료수신거부 080-888-0327';
let sale = 0;

/** A marked ad whose text differs from every other request's, so none is answered as a duplicate. */
function adBody(overrides: Record<string, unknown> = {}) {
  sale += 1;
  return {
    channel: 'sms',
    lane: 'ad',
    sender: { name: '헤럴드마트' },
    content: { body: AD_BODY.replace('20%', `${sale}%`) },
    recipients: [{ to: '010-1111-2222' }, { to: '010-3333-4444', nightAdConsent: true }],
    ...overrides,
  };
}

/** The advertising lane at the API edge: marking refusals, the opt-out list and its routes. */
describe('ad lane API', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.app.close());

  const send = (payload: unknown, key?: string) =>
    t.app.inject({ method: 'POST', url: '/v1/messages', headers: auth(key), payload: payload as object });
  const optOuts = (method: 'POST' | 'DELETE', payload: unknown, key?: string) =>
    t.app.inject({ method, url: '/v1/opt-outs', headers: auth(key), payload: payload as object });

  describe('POST /v1/messages refuses an ad that breaks a rule, with its own code', () => {
    const cases: [string, Record<string, unknown>, string, RegExp][] = [
      [
        'on alimtalk',
        { channel: 'alimtalk', content: undefined, template: { code: 'ORDER_SHIPPED' } },
        'HERALD_AD_NOT_ALLOWED_ON_CHANNEL',
        /alimtalk carries informational messages only/,
      ],
      [
        'without (광고)',
        { content: { body: AD_BODY.slice(5) } },
        'HERALD_AD_MARKING_MISSING',
        /exactly '\(광고\)'/,
      ],
      [
        'with [광고]',
        { content: { body: AD_BODY.replace('(광고)', '[광고]') } },
        'HERALD_AD_MARKING_MISSING',
        /starts with '\[광고\]'/,
      ],
      [
        'without an opt-out line',
        { content: { body: '(광고) 헤럴드마트 봄 세일' } },
        'HERALD_AD_OPT_OUT_MISSING',
        /무료수신거부 080-888-0327/,
      ],
      ['without sender', { sender: undefined }, 'HERALD_AD_SENDER_MISSING', /sender: \{ name \}/],
      [
        'whose text lacks the sender name',
        { sender: { name: '다른가게' } },
        'HERALD_AD_SENDER_MISSING',
        /'다른가게'/,
      ],
    ];
    for (const [what, overrides, code, message] of cases) {
      it(`${what} -> 400 ${code}`, async () => {
        const response = await send(adBody(overrides));
        assert.equal(response.statusCode, 400, response.body);
        assert.equal(response.json().error.code, code);
        assert.match(response.json().error.message, message);
      });
    }

    it('marked (광고) on the batch lane -> 422 HERALD_AD_OUTSIDE_AD_LANE', async () => {
      const response = await send(adBody({ lane: 'batch' }));
      assert.equal(response.statusCode, 422, response.body);
      assert.equal(response.json().error.code, 'HERALD_AD_OUTSIDE_AD_LANE');
      assert.match(response.json().error.message, /lane "ad"/);
    });

    it('refuses a sender object with unknown fields or an empty name (schema)', async () => {
      for (const sender of [{ name: '' }, { name: '헤럴드마트', phone: '080' }]) {
        const response = await send(adBody({ sender }));
        assert.equal(response.statusCode, 400);
        assert.equal(response.json().error.code, 'HERALD_VALIDATION_FAILED');
      }
    });
  });

  it('accepts a marked ad with sender and night consent', async () => {
    const response = await send(adBody());
    assert.equal(response.statusCode, 202, response.body);
    assert.equal(response.json().accepted, 2);
  });

  it('refuses an opted-out recipient alone, and accepts them again after DELETE', async () => {
    const listed = await optOuts('POST', { channel: 'lms', to: '+82 10 1111 2222' });
    assert.equal(listed.statusCode, 200, listed.body);
    assert.deepEqual(listed.json(), { channel: 'sms', optedOut: true });

    const refused = await send(adBody());
    assert.equal(refused.statusCode, 202);
    const body = refused.json();
    assert.deepEqual([body.accepted, body.rejected], [1, 1]);
    assert.equal(body.messages[0].error.code, 'HERALD_RECIPIENT_OPTED_OUT');
    assert.equal(body.messages[1].status, 'accepted');

    const removed = await optOuts('DELETE', { channel: 'sms', to: '010-1111-2222' });
    assert.deepEqual(removed.json(), { channel: 'sms', optedOut: false });
    assert.equal((await send(adBody())).json().accepted, 2);
  });

  it("answers 422 when every recipient opted out, and keeps one client's list from another", async () => {
    await optOuts('POST', { channel: 'sms', to: '010-1111-2222' });
    await optOuts('POST', { channel: 'sms', to: '010-3333-4444' });
    const response = await send(adBody());
    assert.equal(response.statusCode, 422);
    assert.equal(response.json().error.code, 'HERALD_NO_VALID_RECIPIENTS');
    assert.deepEqual(
      response.json().messages.map((m: { error: { code: string } }) => m.error.code),
      ['HERALD_RECIPIENT_OPTED_OUT', 'HERALD_RECIPIENT_OPTED_OUT'],
    );
    assert.equal((await send(adBody(), ADMIN_KEY)).statusCode, 202, 'another client is not affected');
    await optOuts('DELETE', { channel: 'sms', to: '010-1111-2222' });
    await optOuts('DELETE', { channel: 'sms', to: '010-3333-4444' });
  });

  it('hashes e-mail addresses case-folded: an opt-out of Victim@Example.COM blocks victim@example.com', async () => {
    const email = (to: string) =>
      adBody({
        channel: 'email',
        content: { subject: '(광고) 봄 세일', body: AD_BODY },
        recipients: [{ to }],
      });
    assert.equal((await optOuts('POST', { channel: 'email', to: 'Victim@Example.COM' })).statusCode, 200);
    const refused = await send(email('victim@example.com'));
    assert.equal(refused.statusCode, 422, refused.body);
    assert.equal(refused.json().messages[0].error.code, 'HERALD_RECIPIENT_OPTED_OUT');

    // An entry stored before the folding, under the hash of the address as written, is removed too.
    const legacy = hashRecipient('Victim@example.com', t.submission.context.recipientHashSecret);
    await t.submission.optOuts.addOptOut('shop', 'email', legacy);
    assert.equal((await send(email('Victim@example.com'))).statusCode, 422);
    assert.equal((await optOuts('DELETE', { channel: 'email', to: 'Victim@EXAMPLE.com' })).statusCode, 200);
    assert.equal((await send(email('Victim@example.com'))).statusCode, 202, 'both entries removed');
  });

  it('answers 503 with Retry-After, queueing nothing, when the opt-out list cannot be read', async () => {
    const queuedBefore = t.submission.produced.length;
    t.submission.failOptOutLookup = true;
    try {
      const response = await send(adBody());
      assert.equal(response.statusCode, 503);
      assert.equal(response.json().error.code, 'HERALD_UNAVAILABLE');
      assert.ok(Number(response.headers['retry-after']) >= 1);
      assert.equal(t.submission.produced.length, queuedBefore);
    } finally {
      t.submission.failOptOutLookup = false;
    }
  });

  describe('/v1/opt-outs', () => {
    it('is idempotent both ways', async () => {
      for (const method of ['POST', 'POST', 'DELETE', 'DELETE'] as const) {
        const response = await optOuts(method, { channel: 'push', to: 'device-token-1' });
        assert.equal(response.statusCode, 200, `${method}: ${response.body}`);
      }
    });

    it('refuses alimtalk, unknown fields and invalid recipients with stable codes', async () => {
      const cases: [unknown, string][] = [
        [{ channel: 'alimtalk', to: '010-1111-2222' }, 'HERALD_UNKNOWN_CHANNEL'],
        [{ channel: 'sms', to: '010-1111-2222', name: 'x' }, 'HERALD_VALIDATION_FAILED'],
        [{ channel: 'sms' }, 'HERALD_VALIDATION_FAILED'],
        [{ channel: 'sms', to: '02-123-4567' }, 'HERALD_INVALID_PHONE'],
        [{ channel: 'email', to: 'nobody' }, 'HERALD_INVALID_EMAIL'],
      ];
      for (const [payload, code] of cases) {
        const response = await optOuts('POST', payload);
        assert.equal(response.statusCode, 400, JSON.stringify(payload));
        assert.equal(response.json().error.code, code, JSON.stringify(payload));
      }
    });

    it('needs an API key', async () => {
      const response = await t.app.inject({
        method: 'POST',
        url: '/v1/opt-outs',
        payload: { channel: 'sms', to: '010-1111-2222' },
      });
      assert.equal(response.statusCode, 401);
    });

    it('is in the OpenAPI document', async () => {
      const document = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
      assert.deepEqual(Object.keys(document.paths['/v1/opt-outs']).sort(), ['delete', 'post']);
      const recipient =
        document.paths['/v1/messages'].post.requestBody.content['application/json'].schema.properties
          .recipients.items.properties;
      assert.match(recipient.nightAdConsent.description, /keeps no consent records/);
    });
  });
});
