import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { createLogger } from '../../src/observability/logger.ts';
import { auth, buildTestApp, CLIENT_KEY } from './test-app.ts';

/** A logger at `level` whose lines land in the returned array. */
function capturedLogger(level: string) {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, logger: createLogger({ level, destination }) };
}

describe('request logging', () => {
  it('carries no API key, phone number, e-mail address or device token', async () => {
    const { lines, logger } = capturedLogger('trace');
    const t = await buildTestApp({ logger });
    try {
      let sent = 0;
      const send = (channel: string, to: string) =>
        t.app.inject({
          method: 'POST',
          url: '/v1/messages',
          headers: { ...auth(), 'idempotency-key': `log-${++sent}` },
          payload: { channel, lane: 'realtime', content: { body: 'hi' }, recipients: [{ to }] },
        });
      assert.equal((await send('sms', '010-9876-5432')).statusCode, 202);
      assert.equal((await send('email', 'secret.person@example.com')).statusCode, 202);
      assert.equal(
        (await send('push', 'tokenABCDEF123456:APA91bHun4MxP5egoKMwt2KZFBaFUH-1RYqx')).statusCode,
        202,
      );
      assert.equal((await send('sms', '02-9876-5432')).statusCode, 422);
      t.submission.failProduce = true;
      assert.equal((await send('sms', '010-5555-4444')).statusCode, 503);

      const log = lines.join('');
      assert.ok(lines.length > 0, 'something was logged');
      // Whole numbers, not their middle digits alone: ids and hashes in the log are hex, and a
      // random one holds "5555" now and then. A leak shows the middle digits next to the rest.
      const phones = ['98765432', '9876-5432', '55554444', '5555-4444'];
      for (const secret of [CLIENT_KEY, ...phones, 'secret.person', 'tokenABCDEF']) {
        assert.ok(!log.includes(secret), `log leaks ${secret}`);
      }
    } finally {
      await t.app.close();
    }
  });

  it('never logs a query string, where a client may have put its API key', async () => {
    const { lines, logger } = capturedLogger('trace');
    const t = await buildTestApp({ logger });
    try {
      const secret = 'hk_key-in-the-query-string';
      for (const url of [
        `/v1/requests/r1?api_key=${secret}`,
        `/nothing?${secret}`,
        `/health?key=${secret}`,
      ]) {
        await t.app.inject({ method: 'GET', url, headers: auth() });
      }
      await t.app.inject({ method: 'GET', url: `/v1/messages/%zz?key=${secret}` });
      const log = lines.join('');
      assert.ok(log.includes('/v1/requests/r1?[redacted]'), 'the path is still logged');
      assert.ok(!log.includes(secret), 'log leaks the query string');
    } finally {
      await t.app.close();
    }
  });

  it('logs /health and /metrics requests at debug, not info; other routes at info', async () => {
    const metrics = { registry: { contentType: 'text/plain', metrics: async () => '' } };
    for (const level of ['info', 'debug']) {
      const { lines, logger } = capturedLogger(level);
      const t = await buildTestApp({ logger, metrics });
      try {
        for (const url of ['/health', '/metrics', '/v1/requests/r1']) {
          await t.app.inject({ method: 'GET', url, headers: auth() });
        }
        const records = lines.map(
          (line) => JSON.parse(line) as { level: number; reqId?: string; req?: { url: string } },
        );
        const probeIds = new Set(
          records
            .filter((record) => record.req?.url === '/health' || record.req?.url === '/metrics')
            .map((record) => record.reqId),
        );
        const probeRecords = records.filter((record) => probeIds.has(record.reqId));
        const otherRecords = records.filter((record) => record.reqId && !probeIds.has(record.reqId));
        assert.ok(
          otherRecords.some((record) => record.level === 30),
          `${level}: other routes logged at info`,
        );
        assert.ok(
          probeRecords.every((record) => record.level === 20),
          `${level}: probes logged only at debug`,
        );
        assert.equal(
          probeRecords.length,
          level === 'debug' ? 4 : 0,
          `${level}: ${JSON.stringify(probeRecords)}`,
        );
      } finally {
        await t.app.close();
      }
    }
  });
});
