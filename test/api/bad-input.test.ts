import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestApp } from './test-app.ts';
import { auth, buildTestApp, smsBody } from './test-app.ts';

/**
 * Every kind of bad input gets a 4xx with a stable code and a message that names the field.
 * Nothing a client sends may produce a 5xx.
 */
describe('bad input at the API edge', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp({ bodyLimitBytes: 64 * 1024 });
  });
  after(() => t.app.close());

  async function post(payload: unknown, headers: Record<string, string> = {}) {
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/messages',
      headers: { ...auth(), 'content-type': 'application/json', ...headers },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });
    return { status: response.statusCode, body: response.json() };
  }

  function expectError(
    answer: { status: number; body: { error: { code: string; message: string } } },
    status: number,
    code: string,
    field?: RegExp,
  ) {
    assert.equal(answer.status, status, JSON.stringify(answer.body));
    assert.equal(answer.body.error.code, code);
    assert.equal(typeof answer.body.error.message, 'string');
    if (field) assert.match(answer.body.error.message, field);
  }

  const json = { 'content-type': 'application/json' };

  it('more than 100 recipients -> HERALD_TOO_MANY_RECIPIENTS', async () => {
    const recipients = Array.from({ length: 101 }, () => ({ to: '01012345678', vars: { name: 'x' } }));
    expectError(await post(smsBody({ recipients })), 400, 'HERALD_TOO_MANY_RECIPIENTS', /^recipients .*100/);
  });

  it('no recipients -> HERALD_NO_RECIPIENTS', async () => {
    expectError(await post(smsBody({ recipients: [] })), 400, 'HERALD_NO_RECIPIENTS', /^recipients/);
  });

  it('unknown channel (a name or a number) -> HERALD_UNKNOWN_CHANNEL', async () => {
    expectError(
      await post(smsBody({ channel: 'fax' })),
      400,
      'HERALD_UNKNOWN_CHANNEL',
      /^channel must be one of push, sms/,
    );
    expectError(await post(smsBody({ channel: 5 })), 400, 'HERALD_UNKNOWN_CHANNEL', /^channel/);
  });

  it('unknown lane -> HERALD_UNKNOWN_LANE', async () => {
    expectError(
      await post(smsBody({ lane: 'urgent' })),
      400,
      'HERALD_UNKNOWN_LANE',
      /^lane must be one of realtime/,
    );
  });

  it('missing channel -> HERALD_VALIDATION_FAILED naming it', async () => {
    const { channel: _channel, ...body } = smsBody();
    expectError(await post(body), 400, 'HERALD_VALIDATION_FAILED', /^channel is required/);
  });

  it('missing content (or content and template both) -> HERALD_MISSING_CONTENT', async () => {
    expectError(await post(smsBody({ content: undefined })), 400, 'HERALD_MISSING_CONTENT', /content/);
    expectError(
      await post(smsBody({ template: { code: 'ORDER_SHIPPED' } })),
      400,
      'HERALD_MISSING_CONTENT',
      /not both/,
    );
  });

  it('non-EUC-KR text in an SMS body or an LMS subject -> HERALD_NOT_EUC_KR', async () => {
    expectError(
      await post(smsBody({ content: { body: '할인 🎉' } })),
      400,
      'HERALD_NOT_EUC_KR',
      /^content\.body .*U\+1F389/,
    );
    expectError(
      await post(smsBody({ channel: 'lms', content: { subject: '똠얌꿍', body: 'x' } })),
      400,
      'HERALD_NOT_EUC_KR',
      /^content\.subject/,
    );
  });

  it('an SMS over 90 bytes with the upgrade off -> HERALD_SMS_TOO_LONG', async () => {
    t.submission.config = { ...t.submission.config, smsAutoUpgrade: false };
    try {
      const body = smsBody({ content: { body: '가'.repeat(46) } });
      expectError(await post(body), 400, 'HERALD_SMS_TOO_LONG', /^content\.body is 92 EUC-KR bytes/);
    } finally {
      t.submission.config = { ...t.submission.config, smsAutoUpgrade: true };
    }
  });

  it('a body over the channel limit -> HERALD_BODY_TOO_LONG', async () => {
    const push = { channel: 'push', content: { body: 'a'.repeat(2001) }, recipients: [{ to: 'token-1' }] };
    expectError(await post(smsBody(push)), 400, 'HERALD_BODY_TOO_LONG', /^content\.body is 2001 characters/);
  });

  it('a request body over the server limit -> 413 HERALD_PAYLOAD_TOO_LARGE', async () => {
    const body = smsBody({ channel: 'email', content: { body: 'a'.repeat(70 * 1024) } });
    expectError(await post(body), 413, 'HERALD_PAYLOAD_TOO_LARGE');
  });

  it('an invalid phone, e-mail or empty token as the only recipient -> 422 with the recipient error', async () => {
    const cases = [
      { channel: 'sms', to: '12345', code: 'HERALD_INVALID_PHONE' },
      { channel: 'email', to: 'kim@', code: 'HERALD_INVALID_EMAIL' },
      { channel: 'push', to: '', code: 'HERALD_INVALID_DEVICE_TOKEN' },
    ];
    for (const { channel, to, code } of cases) {
      const answer = await post(smsBody({ channel, content: { body: 'hi' }, recipients: [{ to }] }));
      expectError(answer, 422, 'HERALD_NO_VALID_RECIPIENTS', /recipients\[0\]\.to/);
      assert.equal(answer.body.messages[0].error.code, code);
      assert.match(answer.body.messages[0].error.message, /^recipients\[0\]\.to must be/);
    }
  });

  it('malformed or empty JSON -> HERALD_INVALID_JSON', async () => {
    expectError(await post('{"channel": "sms",', json), 400, 'HERALD_INVALID_JSON');
    const empty = await t.app.inject({
      method: 'POST',
      url: '/v1/messages',
      headers: { ...auth(), ...json },
    });
    expectError({ status: empty.statusCode, body: empty.json() }, 400, 'HERALD_INVALID_JSON');
  });

  it('prototype-poisoning JSON -> HERALD_INVALID_JSON, not a 500', async () => {
    expectError(
      await post('{"__proto__": {"admin": true}, "channel": "sms"}', json),
      400,
      'HERALD_INVALID_JSON',
    );
  });

  it('a non-JSON content type -> 415 HERALD_UNSUPPORTED_MEDIA_TYPE', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
      expectError(await post('channel=sms', { 'content-type': type }), 415, 'HERALD_UNSUPPORTED_MEDIA_TYPE');
    }
  });

  it('wrong types -> HERALD_VALIDATION_FAILED naming the field and the expected type', async () => {
    const cases: [unknown, RegExp][] = [
      [smsBody({ recipients: '01012345678' }), /^recipients must be an array/],
      [smsBody({ recipients: [{ to: '01012345678', vars: 5 }] }), /^recipients\[0\]\.vars must be an object/],
      [
        smsBody({ recipients: [{ to: '01012345678', vars: { name: 5 } }] }),
        /^recipients\[0\]\.vars\.name must be a string/,
      ],
      [smsBody({ recipients: [{ to: 1012345678 }] }), /^recipients\[0\]\.to must be a string/],
      [smsBody({ content: { body: 42 } }), /^content\.body must be a string/],
      [smsBody({ expiresInSeconds: '60' }), /^expiresInSeconds must be an integer/],
      [smsBody({ expiresInSeconds: 0 }), /^expiresInSeconds must be >= 1/],
      [smsBody({ content: { body: '' } }), /^content\.body must not be empty/],
      [smsBody({ recipients: [{ to: '01012345678' }, 'x'] }), /^recipients\[1\] must be an object/],
      [smsBody({ expiresInSecond: 60 }), /^expiresInSecond is not a known field/],
      [null, /^the request body must be an object/],
      [[], /^the request body must be an object/],
    ];
    for (const [payload, message] of cases) {
      expectError(await post(payload, json), 400, 'HERALD_VALIDATION_FAILED', message);
    }
  });

  it('an Idempotency-Key over 255 characters -> HERALD_INVALID_IDEMPOTENCY_KEY', async () => {
    expectError(
      await post(smsBody(), { 'idempotency-key': 'k'.repeat(256) }),
      400,
      'HERALD_INVALID_IDEMPOTENCY_KEY',
      /idempotency-key/,
    );
  });

  it('an unknown template code -> HERALD_TEMPLATE_NOT_FOUND', async () => {
    const body = {
      channel: 'alimtalk',
      lane: 'realtime',
      template: { code: 'NOPE' },
      recipients: [{ to: '01012345678' }],
    };
    expectError(await post(body), 400, 'HERALD_TEMPLATE_NOT_FOUND', /^template\.code/);
  });

  it('an unknown route -> 404 HERALD_NOT_FOUND, a bad URL -> 400', async () => {
    const missing = await t.app.inject({ method: 'GET', url: '/v2/nothing?x=1' });
    expectError(
      { status: missing.statusCode, body: missing.json() },
      404,
      'HERALD_NOT_FOUND',
      /GET \/v2\/nothing$/,
    );
    const bad = await t.app.inject({ method: 'GET', url: '/v1/messages/%E0%A4%A', headers: auth() });
    assert.ok(bad.statusCode >= 400 && bad.statusCode < 500, String(bad.statusCode));
    assert.match(bad.json().error.code, /^HERALD_/);
  });
});

describe('text that would be dangerous to render or send', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.app.close());

  const post = async (payload: unknown) => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/messages',
      headers: auth(),
      payload: payload as object,
    });
    return { status: response.statusCode, body: response.json() };
  };

  it('the placeholder bomb (528 KB of #{a}, a 4,000-character a) -> 422, each recipient HERALD_BODY_TOO_LONG', async () => {
    for (const count of [1, 10]) {
      const recipients = Array.from({ length: count }, (_, i) => ({
        to: `010${20_000_000 + i}`,
        vars: { a: 'x'.repeat(4_000) },
      }));
      const answer = await post(smsBody({ content: { body: '#{a}'.repeat(131_000) }, recipients }));
      assert.equal(answer.status, 422, JSON.stringify(answer.body).slice(0, 300));
      assert.deepEqual(
        answer.body.messages.map((m: { error: { code: string } }) => m.error.code),
        Array(count).fill('HERALD_BODY_TOO_LONG'),
      );
    }
  });

  it('a line break in an e-mail subject -> 400 HERALD_CONTROL_CHARACTER naming the field', async () => {
    const email = { channel: 'email', content: { subject: '안내\r\nBcc: x@example.com', body: 'hi' } };
    const answer = await post(smsBody({ ...email, recipients: [{ to: 'kim@example.com' }] }));
    assert.equal(answer.status, 400);
    assert.equal(answer.body.error.code, 'HERALD_CONTROL_CHARACTER');
    assert.match(answer.body.error.message, /^content\.subject has a control character at index 2/);
  });
});
