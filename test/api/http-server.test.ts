import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  closedWithin,
  JSON_ANSWER,
  openRaw,
  parseAnswer,
  receivedOrClosed,
  sendRaw,
  trickle,
} from '../support/raw-http.ts';
import { CLIENT_KEY, type ListeningTestApp, listenTestApp } from './test-app.ts';

/**
 * The HTTP server as a hostile or broken client meets it, over bare sockets. The limits are tiny so
 * the tests are quick; what is asserted is the outcome (408, connection closed before the body was
 * complete), never how long it took.
 */
const LIMITS = { requestTimeoutMs: 300, headersTimeoutMs: 200, keepAliveTimeoutMs: 300, maxConnections: 3 };
const GUARD_MS = 20_000;

describe('HTTP server limits', () => {
  let t: ListeningTestApp;
  before(async () => {
    t = await listenTestApp({ httpLimits: LIMITS });
  });
  after(() => t.close());

  it('cuts off a client that trickles its body one byte at a time: 408 before the body is complete', async () => {
    const body = JSON.stringify({ padding: 'x'.repeat(200) });
    const connection = await openRaw(t.port);
    connection.socket.write(
      `POST /v1/messages HTTP/1.1\r\nHost: herald\r\nAuthorization: Bearer ${CLIENT_KEY}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    const sent = await trickle(connection, body, 20);
    await closedWithin(connection, GUARD_MS, 'trickled body');
    assert.ok(sent < body.length, `the whole body (${sent} bytes) was accepted`);
    const answer = parseAnswer(connection.received());
    assert.equal(answer.status, 408);
    assert.equal(answer.body.error.code, 'HERALD_REQUEST_TIMEOUT');
  });

  it('cuts off a client that trickles its headers (slowloris)', async () => {
    const head = `GET /health HTTP/1.1\r\nHost: herald\r\nX-Padding: ${'x'.repeat(300)}\r\n\r\n`;
    const connection = await openRaw(t.port);
    const sent = await trickle(connection, head, 10);
    await closedWithin(connection, GUARD_MS, 'trickled headers');
    assert.ok(sent < head.length, 'the whole head was accepted');
    assert.equal(parseAnswer(connection.received()).body.error.code, 'HERALD_REQUEST_TIMEOUT');
  });

  it('closes an idle keep-alive connection after the keep-alive limit', async () => {
    const connection = await openRaw(t.port);
    connection.socket.write('GET /health HTTP/1.1\r\nHost: herald\r\n\r\n');
    await closedWithin(connection, GUARD_MS, 'idle keep-alive connection');
    assert.equal(parseAnswer(connection.received()).status, 200, 'the request itself was answered');
  });
});

describe('HTTP server limits and slow answers', () => {
  it('does not cut off a request whose answer takes longer than the request limit', async () => {
    const t = await listenTestApp({
      httpLimits: LIMITS,
      health: async () => {
        await sleep(LIMITS.requestTimeoutMs * 3); // herald working, not the client being slow
        return { ready: true, components: {} };
      },
    });
    try {
      const answer = await sendRaw(t.port, 'GET /health HTTP/1.1\r\nHost: herald\r\n\r\n', JSON_ANSWER);
      assert.equal(answer.status, 200, answer.raw);
    } finally {
      await t.close();
    }
  });
});

describe('HTTP server connection cap', () => {
  const cap = {
    requestTimeoutMs: 60_000,
    headersTimeoutMs: 60_000,
    keepAliveTimeoutMs: 60_000,
    maxConnections: 2,
  };
  let t: ListeningTestApp;
  before(async () => {
    t = await listenTestApp({ httpLimits: cap });
  });
  after(() => t.close());

  it('closes connections over the cap as they arrive, and serves again once one is free', async () => {
    const held = await Promise.all(Array.from({ length: cap.maxConnections }, () => openRaw(t.port)));
    for (const connection of held) {
      connection.socket.write('GET /health HTTP/1.1\r\nHost: herald\r\n\r\n');
      await receivedOrClosed(connection, JSON_ANSWER);
      assert.equal(parseAnswer(connection.received()).status, 200);
    }
    const extra = await openRaw(t.port);
    await closedWithin(extra, GUARD_MS, 'connection over the cap');
    assert.equal(extra.received(), '', 'a dropped connection gets no answer');
    for (const connection of held) {
      assert.equal(connection.isClosed(), false, 'connections under the cap stay open');
      connection.socket.destroy();
    }
    // The server learns of the closes asynchronously: retry until a connection is served.
    let status: number | undefined;
    for (let attempt = 0; attempt < 100 && status !== 200; attempt += 1) {
      status = (await sendRaw(t.port, 'GET /health HTTP/1.1\r\nHost: h\r\n\r\n', JSON_ANSWER)).status;
    }
    assert.equal(status, 200);
  });
});

describe('HTTP server shutting down', () => {
  it('answers a request that arrives during shutdown with 503 HERALD_UNAVAILABLE and Retry-After', async () => {
    const first = Promise.withResolvers<void>();
    const held = Promise.withResolvers<void>();
    const t = await listenTestApp({
      health: async () => {
        first.resolve();
        await held.promise;
        return { ready: true, components: {} };
      },
    });
    const connection = await openRaw(t.port);
    // A first request in flight keeps the connection open through close(); a second one follows on it.
    connection.socket.write('GET /health HTTP/1.1\r\nHost: herald\r\n\r\n');
    await first.promise;
    const closed = t.app.close();
    while (t.app.server.listening) await sleep(5); // close() has run its preClose hooks
    connection.socket.write(
      `GET /v1/requests/r1 HTTP/1.1\r\nHost: herald\r\nAuthorization: Bearer ${CLIENT_KEY}\r\n\r\n`,
    );
    held.resolve();
    await receivedOrClosed(connection);
    await closed;
    const second = parseAnswer(connection.received().slice(connection.received().indexOf('HTTP/1.1', 1)));
    assert.equal(second.status, 503, connection.received());
    assert.equal(second.body.error.code, 'HERALD_UNAVAILABLE');
    assert.ok(Number(second.headers['retry-after']) >= 1);
  });
});
