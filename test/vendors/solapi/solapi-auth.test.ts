import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import {
  formatSolapiAuthorization,
  parseSolapiAuthorization,
  solapiAuthorization,
  solapiDate,
  solapiSalt,
  solapiSignature,
} from '../../../src/vendors/solapi/solapi-auth.ts';

/** hex HMAC-SHA256 computed by openssl, independently of node:crypto. */
function opensslHmacHex(key: string, data: string): string {
  const out = execFileSync('openssl', ['dgst', '-sha256', '-hmac', key], { input: data }).toString();
  return out.trim().replace(/^.*= /, '');
}

describe('SOLAPI Authorization header', () => {
  it('signs date + salt with the API secret as hex, matching a vector computed with openssl', () => {
    // printf '%s' "2019-07-01T00:41:48Zjqsba2jxjnrjor" | openssl dgst -sha256 -hmac "TESTSECRET0123456789ABCDEFGHIJKL"
    assert.equal(
      solapiSignature('TESTSECRET0123456789ABCDEFGHIJKL', '2019-07-01T00:41:48Z', 'jqsba2jxjnrjor'),
      'f6f1e66215283e2989ef409f98ee368657c1f67e022c331ebad0abb29b7f047c',
    );
  });

  it('draws every salt fresh: 1,000 in a row (several refills of its random pool) all differ', () => {
    const salts = Array.from({ length: 1_000 }, () => solapiSalt());
    for (const salt of salts) assert.match(salt, /^[0-9a-zA-Z]{32}$/);
    assert.equal(new Set(salts).size, salts.length);
  });

  it('matches openssl for a fresh date, salt and secret', () => {
    const secret = solapiSalt();
    const date = solapiDate(Date.now());
    const salt = solapiSalt();
    assert.equal(solapiSignature(secret, date, salt), opensslHmacHex(secret, date + salt));
  });

  it("writes the header as SOLAPI's SDK does and reads it back", () => {
    const header = solapiAuthorization('NCSAYU7YDBXYORXC', 'secret', Date.UTC(2019, 6, 1, 0, 41, 48, 123));
    assert.match(
      header,
      /^HMAC-SHA256 apiKey=NCSAYU7YDBXYORXC, date=2019-07-01T00:41:48Z, salt=[0-9a-zA-Z]{32}, signature=[0-9a-f]{64}$/,
    );
    const parts = parseSolapiAuthorization(header)!;
    assert.equal(parts.algorithm, 'HMAC-SHA256');
    assert.equal(parts.signature, solapiSignature('secret', parts.date, parts.salt));
    assert.equal(formatSolapiAuthorization(parts), header);
  });

  it('uses a new salt on every call, so no signature repeats within the window', () => {
    const now = Date.now();
    assert.notEqual(solapiAuthorization('key', 'secret', now), solapiAuthorization('key', 'secret', now));
  });

  it('refuses a header that is not of the form', () => {
    assert.equal(parseSolapiAuthorization('Bearer abc'), undefined);
    assert.equal(parseSolapiAuthorization('HMAC-SHA256 apiKey=k, date=d, salt=s'), undefined);
    assert.equal(parseSolapiAuthorization(undefined), undefined);
  });
});
