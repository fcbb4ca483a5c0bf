import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import {
  SENS_HEADERS,
  sensAuthHeaders,
  sensSignature,
  sensStringToSign,
} from '../../../src/vendors/sens/sens-signature.ts';

const SECRET = 'sens-secret-key-0123456789abcdefghijklmno';
const ACCESS_KEY = 'AKIAHERALD0000000001';
const URI =
  '/alimtalk/v2/services/ncp:kkobizmsg:kr:1234567:herald/templates?channelId=%40herald&pageSize=100&pageIndex=0';

/** The signature computed apart from herald's code: openssl's HMAC over the same bytes. */
function opensslSignature(key: string, message: string): string {
  const digest = execFileSync('openssl', ['dgst', '-sha256', '-hmac', key, '-binary'], { input: message });
  return digest.toString('base64');
}

describe('SENS signature v2', () => {
  it('signs "METHOD URI\\ntimestamp\\naccessKey" as openssl computes it', () => {
    const timestamp = '1764590400000';
    const message = `GET ${URI}\n${timestamp}\n${ACCESS_KEY}`;
    assert.equal(sensStringToSign('GET', URI, timestamp, ACCESS_KEY), message);
    assert.equal(sensSignature(SECRET, 'GET', URI, timestamp, ACCESS_KEY), opensslSignature(SECRET, message));
  });

  it('matches a vector pasted from openssl', () => {
    // printf '%s' $'POST /sms/v2/services/ncp:sms:kr:123456789012:herald/messages\n1764590400000\nAKIAHERALD0000000001' \
    //   | openssl dgst -sha256 -hmac 'sens-secret-key-0123456789abcdefghijklmno' -binary | base64
    const expected = opensslSignature(
      SECRET,
      `POST /sms/v2/services/ncp:sms:kr:123456789012:herald/messages\n1764590400000\n${ACCESS_KEY}`,
    );
    assert.equal(
      sensSignature(
        SECRET,
        'POST',
        '/sms/v2/services/ncp:sms:kr:123456789012:herald/messages',
        '1764590400000',
        ACCESS_KEY,
      ),
      expected,
    );
    assert.equal(expected, VECTOR);
  });

  it('sends the three headers with the timestamp it signed', () => {
    const headers = sensAuthHeaders(
      { accessKey: ACCESS_KEY, secretKey: SECRET },
      'POST',
      '/sms/v2/services/x/messages',
      1_764_590_400_000,
    );
    assert.equal(headers[SENS_HEADERS.timestamp], '1764590400000');
    assert.equal(headers[SENS_HEADERS.accessKey], ACCESS_KEY);
    assert.equal(
      headers[SENS_HEADERS.signature],
      opensslSignature(SECRET, `POST /sms/v2/services/x/messages\n1764590400000\n${ACCESS_KEY}`),
    );
  });
});

/** Computed once with the openssl command quoted in the test above. */
const VECTOR = 'GRuOmF2XhgfAbyB9af3XR6zVBifNpFhdgiMeM6lKFtI=';
