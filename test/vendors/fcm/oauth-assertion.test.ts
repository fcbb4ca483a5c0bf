import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { describe, it } from 'node:test';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { FCM_SCOPE, signAssertion } from '../../../src/vendors/fcm/oauth-assertion.ts';
import { testServiceAccount } from './fcm-test-kit.ts';

describe('signAssertion', () => {
  it("signs Google's JWT-bearer assertion with RS256: iss, scope, aud, iat, exp = iat + 3600", async () => {
    const { account, trust } = testServiceAccount();
    const jwt = await signAssertion(account, 'http://127.0.0.1:9/oauth2/token', 1_800_000_000);
    assert.deepEqual(decodeProtectedHeader(jwt), { alg: 'RS256', typ: 'JWT', kid: account.privateKeyId });
    const { payload } = await jwtVerify(jwt, createPublicKey(trust.publicKeyPem), {
      currentDate: new Date(1_800_000_000_000),
    });
    assert.deepEqual(payload, {
      iss: account.clientEmail,
      scope: FCM_SCOPE,
      aud: 'http://127.0.0.1:9/oauth2/token',
      iat: 1_800_000_000,
      exp: 1_800_003_600,
    });
  });
});
