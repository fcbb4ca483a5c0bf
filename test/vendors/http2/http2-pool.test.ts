import assert from 'node:assert/strict';
import { constants, type ServerHttp2Stream } from 'node:http2';
import { afterEach, describe, it } from 'node:test';
import { Http2Pool } from '../../../src/vendors/http2/http2-pool.ts';
import { FreezableProxy } from './freezable-proxy.ts';
import { bodyOf, type H2cTestServer, reply, startH2cTestServer } from './h2c-test-server.ts';
import { until } from './until.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function server(...args: Parameters<typeof startH2cTestServer>): Promise<H2cTestServer> {
  const started = await startH2cTestServer(...args);
  cleanups.push(() => started.close());
  return started;
}

function pool(origin: string, options: { maxSessions?: number; pingIntervalMs?: number } = {}): Http2Pool {
  const created = new Http2Pool({ origin, name: 'test', ...options });
  cleanups.push(() => created.close(0));
  return created;
}

function post(target: Http2Pool, body: string, signal: AbortSignal = AbortSignal.timeout(10_000)) {
  return target.request({ path: '/echo', headers: { 'content-type': 'text/plain' }, body, signal });
}

/** A handler that holds every stream until released, remembering the bodies it was sent. */
function holdingHandler() {
  const held: { stream: ServerHttp2Stream; body: string }[] = [];
  return {
    held,
    handler: (stream: ServerHttp2Stream) => {
      void bodyOf(stream).then((body) => held.push({ stream, body }));
    },
    releaseAll: () => {
      for (const { stream, body } of held.splice(0)) reply(stream, 200, body);
    },
  };
}

describe('Http2Pool', () => {
  it('sends a request and returns status, headers and body', async () => {
    const h2 = await server(async (stream, headers) => {
      const body = await bodyOf(stream);
      stream.respond({
        ':status': 201,
        'x-path': String(headers[':path']),
        'x-method': String(headers[':method']),
      });
      stream.end(`got ${body}`);
    });
    const reply201 = await post(pool(h2.origin), 'hello');
    assert.equal(reply201.status, 201);
    assert.equal(reply201.headers['x-path'], '/echo');
    assert.equal(reply201.headers['x-method'], 'POST');
    assert.equal(reply201.body.toString(), 'got hello');
  });

  it("keeps each session within the peer's concurrent streams, opens up to maxSessions and queues the rest", async () => {
    const holding = holdingHandler();
    const h2 = await server(holding.handler, { maxConcurrentStreams: 10 });
    const target = pool(h2.origin, { maxSessions: 3 });
    const calls = Array.from({ length: 50 }, (_, index) => post(target, `m${index}`));
    await until(() => holding.held.length === 30, '30 streams held');
    assert.equal(target.stats().queued, 20);
    assert.equal(target.stats().sessionsOpen, 3);
    const releasing = setInterval(holding.releaseAll, 5);
    cleanups.push(async () => clearInterval(releasing));
    const bodies = (await Promise.all(calls)).map((answer) => answer.body.toString());
    assert.deepEqual(
      bodies,
      Array.from({ length: 50 }, (_, index) => `m${index}`),
    );
    assert.equal(h2.peakPerSession(), 10);
    assert.equal(h2.sessions.length, 3);
  });

  it('resets the stream with CANCEL when the caller aborts, and rejects with ABORT_ERR', async () => {
    const closes: number[] = [];
    const h2 = await server((stream) => {
      stream.once('close', () => closes.push(stream.rstCode));
    });
    const controller = new AbortController();
    const call = post(pool(h2.origin), 'x', controller.signal);
    await until(
      () => h2.sessions.length === 1 && closes.length === 0 && h2.peakPerSession() === 1,
      'stream open',
    );
    controller.abort(new Error('time limit'));
    await assert.rejects(call, { code: 'ABORT_ERR' });
    await until(() => closes.length === 1, 'the server saw the stream close');
    assert.deepEqual(closes, [constants.NGHTTP2_CANCEL]);
  });

  it('drops a queued call whose caller aborts before it gets a stream', async () => {
    const holding = holdingHandler();
    const h2 = await server(holding.handler, { maxConcurrentStreams: 1 });
    const target = pool(h2.origin, { maxSessions: 1 });
    const first = post(target, 'first');
    await until(() => holding.held.length === 1, 'first stream held');
    const controller = new AbortController();
    const queued = post(target, 'queued', controller.signal);
    await until(() => target.stats().queued === 1, 'second call queued');
    controller.abort();
    await assert.rejects(queued, { code: 'ABORT_ERR' });
    assert.equal(target.stats().queued, 0);
    holding.releaseAll();
    assert.equal((await first).body.toString(), 'first');
  });

  it('retries streams refused by a GOAWAY on a fresh session, processing none twice', async () => {
    const answered: string[] = [];
    const h2 = await server(async (stream, _headers, session) => {
      // The first session takes stream 9 (the fifth) as its last, then goes away: the streams the
      // client sent after it are refused and were never processed.
      if (h2.sessions.indexOf(session) === 0 && stream.id === 9) {
        session.goaway(constants.NGHTTP2_NO_ERROR, 9);
        session.close();
      }
      const body = await bodyOf(stream).catch(() => undefined);
      setTimeout(() => {
        if (body === undefined || stream.closed) return;
        answered.push(body);
        reply(stream, 200, body);
      }, 20);
    });
    // One session at most: the draining one must not count against the limit.
    const target = pool(h2.origin, { maxSessions: 1 });
    const bodies = await Promise.all(Array.from({ length: 40 }, (_, index) => post(target, `m${index}`)));
    assert.equal(bodies.length, 40);
    assert.ok(target.stats().retries > 0, 'some streams were refused and sent again');
    assert.equal(new Set(answered).size, 40, 'every call was answered');
    assert.equal(answered.length, 40, 'no call was answered twice');
    assert.ok(h2.sessions.length >= 2, 'a fresh session took the refused streams');
  });

  it("retries a dead session's open streams once on a new session", async () => {
    const seen: string[] = [];
    const h2 = await server(async (stream, _headers, session) => {
      const body = await bodyOf(stream);
      seen.push(body);
      // The first session dies with three streams open (the socket is cut, no GOAWAY).
      if (h2.sessions.indexOf(session) === 0) {
        if (seen.length === 3) session.socket.destroy();
        return;
      }
      reply(stream, 200, body);
    });
    const target = pool(h2.origin);
    const bodies = await Promise.all(['a', 'b', 'c'].map((body) => post(target, body)));
    assert.deepEqual(bodies.map((answer) => answer.body.toString()).sort(), ['a', 'b', 'c']);
    assert.equal(target.stats().retries, 3);
  });

  it('fails a call whose retry is lost too, with a code', async () => {
    const h2 = await server(async (stream, _headers, session) => {
      await bodyOf(stream);
      session.socket.destroy();
    });
    await assert.rejects(post(pool(h2.origin), 'x'), { code: 'ERR_HTTP2_SESSION_LOST' });
    assert.equal(h2.sessions.length, 2);
  });

  it('gives up on a stream the peer refuses every time, with a code', async () => {
    let refused = 0;
    const h2 = await server((stream) => {
      refused += 1;
      stream.close(constants.NGHTTP2_REFUSED_STREAM);
    });
    await assert.rejects(post(pool(h2.origin), 'x'), { code: 'ERR_HTTP2_REFUSED_STREAM' });
    assert.equal(refused, 4, 'the first try and three retries');
  });

  it('fails queued calls with the connect error when the origin refuses connections', async () => {
    const h2 = await server(() => {});
    const origin = h2.origin;
    await h2.close();
    const target = pool(origin);
    const results = await Promise.allSettled([post(target, 'a'), post(target, 'b')]);
    for (const result of results) {
      assert.equal(result.status, 'rejected');
      assert.equal((result.reason as { code?: string }).code, 'ECONNREFUSED');
    }
    assert.equal(target.stats().sessionsOpened, 1, 'no reconnect loop');
  });

  it('pings idle sessions', async () => {
    const h2 = await server((stream) => reply(stream, 200, 'ok'));
    const target = pool(h2.origin, { pingIntervalMs: 20 });
    await post(target, 'x');
    let pings = 0;
    h2.sessions[0]!.on('ping', () => {
      pings += 1;
    });
    await until(() => pings >= 2, 'two keep-alive pings');
  });

  it('replaces a session whose keep-alive PING goes unanswered', async () => {
    const h2 = await server((stream) => reply(stream, 200, 'ok'));
    const proxy = await FreezableProxy.start({ host: '127.0.0.1', port: Number(new URL(h2.origin).port) });
    cleanups.push(() => proxy.close());
    const target = pool(proxy.origin, { pingIntervalMs: 20 });
    await post(target, 'x');
    proxy.freeze();
    await until(() => target.stats().sessionsOpen === 0, 'the silent session dropped');
    assert.equal((await post(target, 'y')).status, 200);
    assert.equal(target.stats().sessionsOpened, 2);
  });

  it('close lets calls in flight finish within the grace, and refuses new and queued calls', async () => {
    const holding = holdingHandler();
    const h2 = await server(holding.handler, { maxConcurrentStreams: 1 });
    const target = new Http2Pool({ origin: h2.origin, maxSessions: 1 });
    const inFlight = post(target, 'in flight');
    await until(() => holding.held.length === 1, 'stream held');
    const queued = post(target, 'queued');
    const closing = target.close(5_000);
    await assert.rejects(queued, { code: 'ERR_HTTP2_POOL_CLOSED' });
    await assert.rejects(post(target, 'late'), { code: 'ERR_HTTP2_POOL_CLOSED' });
    holding.releaseAll();
    assert.equal((await inFlight).body.toString(), 'in flight');
    await closing;
  });

  it('close cuts off calls still in flight after the grace', async () => {
    const h2 = await server(() => {});
    const target = new Http2Pool({ origin: h2.origin });
    const hung = assert.rejects(post(target, 'x'), { code: 'ERR_HTTP2_SESSION_LOST' });
    await until(() => h2.peakPerSession() === 1, 'stream open');
    await target.close(10);
    await hung;
  });
});
