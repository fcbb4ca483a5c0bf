import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { JsonHttpClient } from '../../../src/vendors/http1/json-http-client.ts';

let server: Server;
let origin: string;
const seen: { method?: string; url?: string; headers: IncomingMessage['headers']; body: string }[] = [];

describe('JsonHttpClient', () => {
  before(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
      });
      request.on('end', () => {
        seen.push({ method: request.method, url: request.url, headers: request.headers, body });
        if (request.url?.endsWith('/hang')) return;
        if (request.url?.endsWith('/text')) {
          response.writeHead(502, { 'content-type': 'text/html' }).end('<html>bad gateway</html>');
          return;
        }
        response.writeHead(200, { 'content-type': 'application/json', 'x-reply': 'yes' });
        response.end(JSON.stringify({ echoed: body === '' ? null : JSON.parse(body) }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends JSON under the base URL path prefix and parses the JSON answer', async () => {
    const client = new JsonHttpClient({ baseUrl: `${origin}/nhn-sms/` });
    assert.equal(client.prefix, '/nhn-sms');
    const answer = await client.request({
      method: 'POST',
      path: '/sms/v3.0/appKeys/k/sender/sms?x=1',
      headers: { 'x-secret-key': 's' },
      json: { body: '안녕' },
      signal: AbortSignal.timeout(5_000),
    });
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, { echoed: { body: '안녕' } });
    assert.equal(answer.headers['x-reply'], 'yes');
    const request = seen.at(-1)!;
    assert.equal(request.url, '/nhn-sms/sms/v3.0/appKeys/k/sender/sms?x=1');
    assert.equal(request.headers['content-type'], 'application/json; charset=UTF-8');
    assert.equal(request.headers['x-secret-key'], 's');
    await client.close();
  });

  it('keeps a body that is not JSON as text, and stops at the abort', async () => {
    const client = new JsonHttpClient({ baseUrl: origin, closeGraceMs: 10 });
    const answer = await client.request({ method: 'GET', path: '/text', signal: AbortSignal.timeout(5_000) });
    assert.equal(answer.body, undefined);
    assert.match(answer.text, /bad gateway/);
    await assert.rejects(
      client.request({ method: 'GET', path: '/hang', signal: AbortSignal.timeout(50) }),
      (error: Error) => error.name === 'TimeoutError' || error.name === 'AbortError',
    );
    await client.close();
  });
});
