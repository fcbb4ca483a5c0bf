import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { importSPKI, jwtVerify } from 'jose';
import { generateBenchServiceAccount } from '../../../bench/support/bench-service-account.ts';
import { simulatorGrantCredential } from '../../../bench/support/firebase-admin-credential.ts';

test('the credential makes a JWT-bearer grant with an RS256 assertion the public key verifies', async () => {
  let publicKeyPem = '';
  let tokenUrl = '';
  const grants: { grantType: string | null; claims: Record<string, unknown>; kid: unknown }[] = [];
  const server = createServer(async (request, response) => {
    let text = '';
    for await (const chunk of request) text += chunk;
    const form = new URLSearchParams(text);
    const verified = await jwtVerify(form.get('assertion') ?? '', await importSPKI(publicKeyPem, 'RS256'), {
      audience: tokenUrl,
    });
    grants.push({
      grantType: form.get('grant_type'),
      claims: verified.payload,
      kid: verified.protectedHeader.kid,
    });
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ access_token: 'issued-1', expires_in: 3599, token_type: 'Bearer' }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    tokenUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth2/token`;
    const generated = generateBenchServiceAccount('demo-proj', tokenUrl);
    publicKeyPem = generated.publicKeyPem;
    const token = await simulatorGrantCredential(generated.account).getAccessToken();
    assert.deepEqual(token, { access_token: 'issued-1', expires_in: 3599 });
    assert.equal(grants.length, 1);
    const grant = grants[0]!;
    assert.equal(grant.grantType, 'urn:ietf:params:oauth:grant-type:jwt-bearer');
    assert.equal(grant.claims.iss, generated.account.client_email);
    assert.equal(grant.claims.scope, 'https://www.googleapis.com/auth/firebase.messaging');
    assert.equal(Number(grant.claims.exp) - Number(grant.claims.iat), 3_600);
    assert.equal(grant.kid, generated.account.private_key_id);
  } finally {
    server.close();
  }
});
