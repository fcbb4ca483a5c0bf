import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createUnsubscribeLinks } from '../../src/core/identity/unsubscribe-token.ts';
import { TEST_SECRET } from '../core/submission/fake-submission-context.ts';
import type { TestApp } from './test-app.ts';
import { auth, buildTestApp, TEST_UNSUBSCRIBE_SECRET } from './test-app.ts';

const links = createUnsubscribeLinks({
  secret: TEST_UNSUBSCRIBE_SECRET,
  recipientHashSecret: TEST_SECRET,
  baseUrl: () => 'http://herald.test',
});
const pathOf = (clientId: string, address: string) => new URL(links.urlFor(clientId, address)).pathname;
const ONE_CLICK = {
  payload: 'List-Unsubscribe=One-Click',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
};
let sale = 0;

/** The one-click unsubscribe endpoint of ad e-mail (RFC 8058): public, signed token, no oracle. */
describe('POST/GET /v1/unsubscribe/:token', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.app.close());

  const adEmail = (to: string) => {
    sale += 1;
    return t.app.inject({
      method: 'POST',
      url: '/v1/messages',
      headers: auth(),
      payload: {
        channel: 'email',
        lane: 'ad',
        sender: { name: '헤럴드마트' },
        content: { subject: `(광고) 봄 세일 ${sale}%`, body: '헤럴드마트 봄 세일' },
        recipients: [{ to }],
      },
    });
  };
  const codeOf = (response: { json(): unknown }) =>
    (response.json() as { messages: { error?: { code: string } }[] }).messages[0]?.error?.code;

  it('POST one-click records the opt-out, without an API key; the next ad to the address is refused', async () => {
    assert.equal((await adEmail('lee@example.com')).statusCode, 202);
    const answer = await t.app.inject({
      method: 'POST',
      url: pathOf('shop', 'lee@example.com'),
      ...ONE_CLICK,
    });
    assert.equal(answer.statusCode, 200, answer.body);
    assert.match(String(answer.headers['content-type']), /^text\/html/);
    assert.equal(answer.headers['cache-control'], 'no-store');
    const refused = await adEmail('Lee@Example.com');
    assert.equal(refused.statusCode, 422, refused.body);
    assert.equal(codeOf(refused), 'HERALD_RECIPIENT_OPTED_OUT');
  });

  it('takes a multipart one-click body and an empty POST alike', async () => {
    const multipart = await t.app.inject({
      method: 'POST',
      url: pathOf('shop', 'park@example.com'),
      payload: '--b\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--b--\r\n',
      headers: { 'content-type': 'multipart/form-data; boundary=b' },
    });
    assert.equal(multipart.statusCode, 200, multipart.body);
    const empty = await t.app.inject({ method: 'POST', url: pathOf('shop', 'choi@example.com') });
    assert.equal(empty.statusCode, 200, empty.body);
    assert.equal(codeOf(await adEmail('choi@example.com')), 'HERALD_RECIPIENT_OPTED_OUT');
  });

  it('answers the same, byte for byte, the first time and the second', async () => {
    const url = pathOf('shop', 'jung@example.com');
    const first = await t.app.inject({ method: 'POST', url, ...ONE_CLICK });
    const second = await t.app.inject({ method: 'POST', url, ...ONE_CLICK });
    const other = await t.app.inject({ method: 'POST', url: pathOf('rider', 'x@example.com'), ...ONE_CLICK });
    assert.deepEqual([first.statusCode, second.statusCode, other.statusCode], [200, 200, 200]);
    assert.equal(first.body, second.body);
    assert.equal(first.body, other.body, 'nothing about the address or the client');
  });

  it('GET shows a form that POSTs to the same URL and records nothing', async () => {
    const url = pathOf('shop', 'kang@example.com');
    const page = await t.app.inject({ method: 'GET', url });
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    assert.match(page.body, /<form method="post">/);
    assert.match(page.body, /name="List-Unsubscribe" value="One-Click"/);
    assert.ok(!page.body.includes('kang'), 'no address on the page');
    assert.equal((await adEmail('kang@example.com')).statusCode, 202, 'still not opted out');
    const again = await t.app.inject({ method: 'GET', url: pathOf('shop', 'yoon@example.com') });
    assert.equal(again.body, page.body);
  });

  it('refuses a forged, altered or foreign token with 404 HERALD_UNSUBSCRIBE_LINK_INVALID, the same each time', async () => {
    const good = pathOf('shop', 'han@example.com');
    const token = good.slice(good.lastIndexOf('/') + 1);
    const [payload, signature] = token.split('.');
    const altered = `${payload}.${signature!.startsWith('A') ? 'B' : 'A'}${signature!.slice(1)}`;
    const foreign = createUnsubscribeLinks({
      secret: 'someone-elses-secret-0123456789abcdef',
      recipientHashSecret: TEST_SECRET,
      baseUrl: () => 'http://x',
    }).urlFor('shop', 'han@example.com');
    const bodies = new Set<string>();
    for (const bad of [altered, 'AAAA.BBBB', 'x', new URL(foreign).pathname.split('/').at(-1)!]) {
      for (const method of ['GET', 'POST'] as const) {
        const answer = await t.app.inject({ method, url: `/v1/unsubscribe/${bad}`, ...ONE_CLICK });
        assert.equal(answer.statusCode, 404, `${method} ${bad}`);
        assert.equal(answer.json().error.code, 'HERALD_UNSUBSCRIBE_LINK_INVALID');
        bodies.add(answer.body);
      }
    }
    assert.equal(bodies.size, 1, 'one answer for every bad token');
    assert.equal((await adEmail('han@example.com')).statusCode, 202, 'nothing recorded');
  });

  it('is in the OpenAPI document without security', async () => {
    const document = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const path = document.paths['/v1/unsubscribe/{token}'];
    assert.ok(path?.post && path.get);
    assert.deepEqual(path.post.security, []);
  });
});
