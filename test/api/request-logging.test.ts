import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { createLogger } from '../../src/observability/logger.ts';
import { auth, buildTestApp, CLIENT_KEY } from './test-app.ts';

describe('request logging', () => {
  it('carries no API key, phone number, e-mail address or device token', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const t = await buildTestApp({ logger: createLogger({ level: 'trace', destination }) });
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
      assert.equal((await send('push', 'tokenABCDEF123456')).statusCode, 202);
      assert.equal((await send('sms', '02-9876-5432')).statusCode, 422);
      t.submission.failProduce = true;
      assert.equal((await send('sms', '010-5555-4444')).statusCode, 503);

      const log = lines.join('');
      assert.ok(lines.length > 0, 'something was logged');
      for (const secret of [CLIENT_KEY, '9876', 'secret.person', 'tokenABCDEF', '5555']) {
        assert.ok(!log.includes(secret), `log leaks ${secret}`);
      }
    } finally {
      await t.app.close();
    }
  });
});
