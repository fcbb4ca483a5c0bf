import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { JSON_ANSWER, type RawAnswer, sendRaw } from '../support/raw-http.ts';
import { CLIENT_KEY, type ListeningTestApp, listenTestApp, smsBody } from './test-app.ts';

/**
 * Requests that Node's parser or Fastify refuse before a route runs, sent over a bare socket (fetch
 * cannot send them): each is answered with herald's `{ error: { code, message } }` and a code from
 * docs/errors.md, never with Node's or Fastify's own body.
 */
describe('malformed HTTP gets herald error answers', () => {
  let t: ListeningTestApp;
  before(async () => {
    t = await listenTestApp();
  });
  after(() => t.close());

  const get = (path: string, headers = 'Host: herald\r\n') => `GET ${path} HTTP/1.1\r\n${headers}\r\n`;

  function expectError(answer: RawAnswer, status: number, code: string) {
    assert.equal(answer.status, status, answer.raw.slice(0, 300));
    assert.match(answer.headers['content-type'] ?? '', /^application\/json/);
    assert.deepEqual(Object.keys(answer.body), ['error']);
    assert.equal(answer.body.error.code, code);
    assert.equal(typeof answer.body.error.message, 'string');
  }

  const cases: [string, string, number, string][] = [
    [
      'headers over 16 KiB',
      get('/health', `Host: herald\r\nX-Big: ${'a'.repeat(20_000)}\r\n`),
      431,
      'HERALD_HEADERS_TOO_LARGE',
    ],
    [
      'a bare CR in a header',
      get('/health', 'Host: herald\r\nX-A: a\rb\r\n'),
      400,
      'HERALD_MALFORMED_REQUEST',
    ],
    [
      'a bare LF ending a header',
      get('/health', 'Host: herald\nX-A: a\r\n'),
      400,
      'HERALD_MALFORMED_REQUEST',
    ],
    ['a NUL in a header', get('/health', 'Host: herald\r\nX-A: a\0b\r\n'), 400, 'HERALD_MALFORMED_REQUEST'],
    [
      'Content-Length: -1',
      'POST /v1/messages HTTP/1.1\r\nHost: herald\r\nContent-Length: -1\r\n\r\n',
      400,
      'HERALD_MALFORMED_REQUEST',
    ],
    [
      'two Content-Lengths',
      'POST /v1/messages HTTP/1.1\r\nHost: herald\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab',
      400,
      'HERALD_MALFORMED_REQUEST',
    ],
    ['an invalid method', 'G@T /health HTTP/1.1\r\nHost: herald\r\n\r\n', 400, 'HERALD_MALFORMED_REQUEST'],
    ['a control character in the URL', get('/health\x01x'), 400, 'HERALD_MALFORMED_REQUEST'],
    ['bad percent-encoding in the URL', get('/v1/messages/%E0%A4%A'), 400, 'HERALD_MALFORMED_REQUEST'],
    [
      'an unknown HTTP version',
      'GET /health HTTP/9.1\r\nHost: herald\r\n\r\n',
      400,
      'HERALD_MALFORMED_REQUEST',
    ],
    ['no Host header', get('/health', ''), 400, 'HERALD_MALFORMED_REQUEST'],
    ['CONNECT', 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n', 404, 'HERALD_NOT_FOUND'],
    ['an unknown route', get('/nothing?key=1'), 404, 'HERALD_NOT_FOUND'],
  ];
  for (const [what, request, status, code] of cases) {
    it(`${what} -> ${status} ${code}`, async () => {
      expectError(await sendRaw(t.port, request, JSON_ANSWER), status, code);
    });
  }

  it('a gzip body -> 415 HERALD_UNSUPPORTED_CONTENT_ENCODING with Accept-Encoding: identity', async () => {
    const body = JSON.stringify(smsBody());
    const request =
      `POST /v1/messages HTTP/1.1\r\nHost: herald\r\nAuthorization: Bearer ${CLIENT_KEY}\r\n` +
      `Content-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    const answer = await sendRaw(t.port, request, JSON_ANSWER);
    expectError(answer, 415, 'HERALD_UNSUPPORTED_CONTENT_ENCODING');
    assert.equal(answer.headers['accept-encoding'], 'identity');
  });

  it('an unknown Expect is ignored (RFC 9110 allows it), not answered with a bare 417', async () => {
    const answer = await sendRaw(t.port, get('/health', 'Host: herald\r\nExpect: 200-ok\r\n'), JSON_ANSWER);
    assert.equal(answer.status, 200);
  });
});
