import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { auth, buildTestApp, smsBody, type TestApp } from './test-app.ts';

/** The JSON body parser: strict UTF-8, and still Fastify's limits and prototype-poisoning guard. */
describe('JSON request bodies', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp({ bodyLimitBytes: 4 * 1024 });
  });
  after(() => t.app.close());

  const post = (payload: Buffer | string) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/messages',
      headers: { ...auth(), 'content-type': 'application/json; charset=utf-8' },
      payload,
    });

  it('refuses invalid UTF-8 with 400 HERALD_INVALID_UTF8 and the byte offset, not U+FFFD', async () => {
    // A push body takes any Unicode, so a lenient decoder would have sent "��" to the device.
    const push = smsBody({ channel: 'push', content: { body: 'XX' }, recipients: [{ to: 'token-1' }] });
    const json = Buffer.from(JSON.stringify(push), 'utf8');
    const at = json.indexOf('XX');
    json[at] = 0xbe; // "안" in EUC-KR: 0xBE 0xC8
    json[at + 1] = 0xc8;
    const response = await post(json);
    assert.equal(response.statusCode, 400, response.body);
    assert.equal(response.json().error.code, 'HERALD_INVALID_UTF8');
    assert.match(response.json().error.message, new RegExp(`at byte ${at};`));
    assert.equal(t.submission.produced.length, 0, 'nothing was sent');
  });

  it('accepts UTF-8 Hangul, with or without a byte order mark', async () => {
    const json = JSON.stringify(smsBody({ content: { body: '안녕하세요' } }));
    assert.equal((await post(json)).statusCode, 202);
    assert.equal(
      (await post(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json)]))).statusCode,
      202,
    );
  });

  it('keeps refusing prototype poisoning, empty and oversized bodies as before', async () => {
    const poisoned = await post('{"__proto__": {"admin": true}, "channel": "sms"}');
    assert.equal(poisoned.json().error.code, 'HERALD_INVALID_JSON');
    const viaConstructor = await post('{"constructor": {"prototype": {"admin": true}}}');
    assert.equal(viaConstructor.json().error.code, 'HERALD_INVALID_JSON');
    assert.equal((await post('')).json().error.code, 'HERALD_INVALID_JSON');
    const large = await post(JSON.stringify(smsBody({ content: { body: 'a'.repeat(5_000) } })));
    assert.equal(large.statusCode, 413);
    assert.equal(large.json().error.code, 'HERALD_PAYLOAD_TOO_LARGE');
  });
});
