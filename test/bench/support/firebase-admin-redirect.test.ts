import assert from 'node:assert/strict';
import { once } from 'node:events';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { deleteApp, initializeApp } from 'firebase-admin/app';
import { getMessaging } from 'firebase-admin/messaging';
import { redirectFirebaseAdmin } from '../../../bench/support/firebase-admin-redirect.ts';

/** What the tiny h2c server saw of each request. */
interface Seen {
  readonly scheme: string;
  readonly path: string;
  readonly authorization: string;
  readonly token: string;
}

const seen: Seen[] = [];
let server: http2.Http2Server;
let origin = '';

// A stand-in for the FCM simulator: h2c, answers like FCM v1 (a name, or 404 UNREGISTERED).
before(async () => {
  server = http2.createServer();
  server.on('stream', (stream, headers) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString()) as { message: { token: string } };
      const token = body.message.token;
      seen.push({
        scheme: String(headers[':scheme']),
        path: String(headers[':path']),
        authorization: String(headers.authorization),
        token,
      });
      const dead = token.startsWith('dead');
      stream.respond({ ':status': dead ? 404 : 200, 'content-type': 'application/json' });
      stream.end(
        JSON.stringify(
          dead
            ? {
                error: {
                  code: 404,
                  status: 'NOT_FOUND',
                  message: 'Requested entity was not found.',
                  details: [
                    {
                      '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError',
                      errorCode: 'UNREGISTERED',
                    },
                  ],
                },
              }
            : { name: `projects/demo-proj/messages/${seen.length}` },
        ),
      );
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  server.close();
});

test('sendEach reaches the h2c server with the scheme normalised, the prefix added and our bearer', async () => {
  const streamMs: number[] = [];
  const redirect = redirectFirebaseAdmin({
    target: origin,
    pathPrefix: '/fcm',
    onStreamClosed: (ms) => streamMs.push(ms),
  });
  const app = initializeApp(
    {
      projectId: 'demo-proj',
      credential: { getAccessToken: async () => ({ access_token: 'bench-token', expires_in: 3_600 }) },
    },
    `redirect-test-${process.pid}`,
  );
  try {
    const messages = ['ok-1', 'dead-2', 'ok-3'].map((token) => ({
      token,
      notification: { title: 't', body: 'b' },
    }));
    const result = await getMessaging(app).sendEach(messages);
    assert.equal(result.successCount, 2);
    assert.deepEqual(
      result.responses.map((r) => (r.success ? 'ok' : r.error?.code)),
      ['ok', 'messaging/registration-token-not-registered', 'ok'],
    );
    assert.equal(seen.length, 3);
    for (const request of seen) {
      assert.equal(request.scheme, 'http');
      assert.equal(request.path, '/fcm/v1/projects/demo-proj/messages:send');
      assert.equal(request.authorization, 'Bearer bench-token');
    }
    assert.deepEqual(seen.map((r) => r.token).sort(), ['dead-2', 'ok-1', 'ok-3']);
    assert.equal(redirect.sessionsOpened(), 1, 'one session per sendEach call, as the SDK does');
    // A stream's 'close' may come a turn after the SDK has its answer.
    for (let turn = 0; turn < 100 && streamMs.length < 3; turn++) await new Promise(setImmediate);
    assert.equal(streamMs.length, 3);
  } finally {
    redirect.restore();
    await deleteApp(app);
  }
});

test('other origins are not redirected, and restore() puts the real connect back', async () => {
  const real = http2.connect;
  const redirect = redirectFirebaseAdmin({ target: 'http://127.0.0.1:1', pathPrefix: '/x' });
  const session = http2.connect(origin);
  try {
    const stream = session.request({ ':method': 'POST', ':path': '/plain' });
    stream.end(JSON.stringify({ message: { token: 'ok-plain' } }));
    const [headers] = (await once(stream, 'response')) as [http2.IncomingHttpHeaders];
    assert.equal(headers[':status'], 200);
    stream.resume();
    await once(stream, 'close');
    assert.equal(seen.at(-1)?.path, '/plain');
    assert.equal(redirect.sessionsOpened(), 0);
  } finally {
    session.close();
    redirect.restore();
  }
  assert.equal(http2.connect, real);
});
