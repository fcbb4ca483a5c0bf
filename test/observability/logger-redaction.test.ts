import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { createLogger } from '../../src/observability/logger.ts';

/** Everything a logger wrote, one parsed JSON line each. */
function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger({ level: 'info', destination }), text: () => lines.join('\n') };
}

describe('logger redaction', () => {
  it('censors vendor secrets and private keys wherever a careless log puts them', () => {
    const { logger, text } = capture();
    const secrets = [
      'nhn-secret-0001',
      'solapi-secret-0002',
      'sens-secret-0003',
      'pk-0004',
      'pk-0005',
      'hdr-0006',
    ];
    logger.info({ secret: secrets[0], account: { apiSecret: secrets[1], secretKey: secrets[2] } }, 'vendor');
    logger.info({ serviceAccount: { private_key: secrets[3] }, key: { privateKey: secrets[4] } }, 'push');
    logger.info({ request: { headers: { 'x-secret-key': secrets[5] } } }, 'call');
    for (const secret of secrets) assert.equal(text().includes(secret), false, `${secret} was logged`);
    assert.equal(text().split('[redacted]').length - 1, secrets.length);
  });
});
