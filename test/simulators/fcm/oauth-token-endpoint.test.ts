import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { answerTokenRequest } from '../../../src/simulators/fcm/oauth-token-endpoint.ts';
import { PushSimulation } from '../../../src/simulators/push-simulation.ts';
import { signAssertion } from '../../../src/vendors/fcm/oauth-assertion.ts';
import { testServiceAccount } from '../../vendors/fcm/fcm-test-kit.ts';

const SERVED = 'http://127.0.0.1:9100/oauth2/token';
const NOW_MS = 1_800_000_000_000;
const NOW = NOW_MS / 1_000;
const service = testServiceAccount();
const GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

function simulation(): PushSimulation {
  return new PushSimulation({ trust: { fcm: { fcm: service.trust } } });
}

async function ask(
  push: PushSimulation,
  form: Record<string, string>,
  contentType = 'application/x-www-form-urlencoded',
) {
  const body = contentType.startsWith('application/json')
    ? JSON.stringify(form)
    : new URLSearchParams(form).toString();
  const answer = await answerTokenRequest(
    { body: Buffer.from(body), contentType, servedUrl: SERVED },
    push,
    NOW_MS,
  );
  return { status: answer.status, body: answer.body as Record<string, unknown> };
}

/** An assertion with chosen claims, signed with the service account's key. */
function assertion(claims: Record<string, unknown>, key = service.account.privateKey): Promise<string> {
  return new SignJWT({
    scope: 'https://www.googleapis.com/auth/firebase.messaging',
    iss: service.account.clientEmail,
    aud: SERVED,
    iat: NOW,
    exp: NOW + 3_600,
    ...claims,
  })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
    .sign(key);
}

describe('simulated OAuth token endpoint', () => {
  it('issues an access token for a valid assertion, bound to the service account', async () => {
    const push = simulation();
    const jwt = await signAssertion(service.account, SERVED, NOW);
    const answer = await ask(push, { grant_type: GRANT, assertion: jwt });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.token_type, 'Bearer');
    assert.equal(answer.body.expires_in, 3_599);
    const grant = push.accessTokens.lookup(answer.body.access_token as string, NOW_MS);
    assert.equal(grant?.clientEmail, service.account.clientEmail);
    assert.equal(push.accessTokensIssued('fcm'), 1);
  });

  it("accepts Google's own URL as audience, and the fields as JSON", async () => {
    const jwt = await signAssertion(service.account, 'https://oauth2.googleapis.com/token', NOW);
    assert.equal(
      (await ask(simulation(), { grant_type: GRANT, assertion: jwt }, 'application/json')).status,
      200,
    );
  });

  it('refuses other grant types and a missing assertion', async () => {
    const push = simulation();
    assert.deepEqual(
      (await ask(push, { grant_type: 'client_credentials' })).body.error,
      'unsupported_grant_type',
    );
    assert.deepEqual((await ask(push, { grant_type: GRANT })).body.error, 'invalid_request');
    assert.deepEqual(
      (await ask(push, { grant_type: GRANT, assertion: 'not.a.jwt' })).body.error,
      'invalid_grant',
    );
  });

  it('refuses an unknown account, a wrong signature, a wrong audience', async () => {
    const push = simulation();
    const stranger = testServiceAccount();
    const unknown = await ask(push, {
      grant_type: GRANT,
      assertion: await signAssertion(stranger.account, SERVED, NOW),
    });
    assert.deepEqual(unknown.body, {
      error: 'invalid_grant',
      error_description: 'Invalid grant: account not found',
    });
    const { privateKey: otherKey } = await import('node:crypto').then((crypto) =>
      crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }),
    );
    const forged = await ask(push, { grant_type: GRANT, assertion: await assertion({}, otherKey) });
    assert.equal(forged.body.error_description, 'Invalid JWT Signature.');
    const elsewhere = await ask(push, {
      grant_type: GRANT,
      assertion: await assertion({ aud: 'https://evil.example/token' }),
    });
    assert.equal(elsewhere.body.error_description, 'Invalid JWT: Failed audience check.');
  });

  it('refuses an expired assertion, one valid for over an hour, and one from the future', async () => {
    const push = simulation();
    for (const claims of [
      { iat: NOW - 7_200, exp: NOW - 3_600 },
      { iat: NOW, exp: NOW + 3_601 },
      { iat: NOW + 600, exp: NOW + 1_200 },
    ]) {
      const answer = await ask(push, { grant_type: GRANT, assertion: await assertion(claims) });
      assert.equal(answer.status, 400, JSON.stringify(claims));
      assert.match(answer.body.error_description as string, /short-lived token/);
    }
  });

  it('refuses an assertion without a scope', async () => {
    const answer = await ask(simulation(), { grant_type: GRANT, assertion: await assertion({ scope: '' }) });
    assert.equal(answer.body.error, 'invalid_scope');
  });
});
