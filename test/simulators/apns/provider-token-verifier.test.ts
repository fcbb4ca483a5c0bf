import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { ProviderTokenVerifier } from '../../../src/simulators/apns/provider-token-verifier.ts';
import type { ApnsTrust } from '../../../src/simulators/push-trust.ts';

const MINUTE = 60_000;
const NOW = Date.parse('2026-12-01T12:00:00Z');
const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const trust: ApnsTrust = {
  teamId: 'TEAM123456',
  keyId: 'KEY1234567',
  publicKeyPem: keys.publicKey.export({ format: 'pem', type: 'spki' }) as string,
};

async function token(
  overrides: { kid?: string; iss?: unknown; iatMs?: number; key?: KeyObject; alg?: string } = {},
): Promise<string> {
  const claims: Record<string, unknown> = { iss: 'iss' in overrides ? overrides.iss : trust.teamId };
  claims.iat = Math.floor((overrides.iatMs ?? NOW) / 1_000);
  const alg = overrides.alg ?? 'ES256';
  return new SignJWT(claims)
    .setProtectedHeader({ alg, kid: overrides.kid ?? trust.keyId })
    .sign(overrides.key ?? keys.privateKey);
}

describe('ProviderTokenVerifier', () => {
  const clock = { now: NOW };
  const verifier = new ProviderTokenVerifier(trust, keys.publicKey);

  it('accepts a token signed by the trusted key naming it and the team', async () => {
    const jwt = await token();
    assert.deepEqual(await verifier.verify(`bearer ${jwt}`, clock.now), { ok: true, token: jwt });
    assert.deepEqual(await verifier.verify(`Bearer ${jwt}`, clock.now), { ok: true, token: jwt });
  });

  it('answers MissingProviderToken without a bearer token', async () => {
    for (const header of [undefined, '', 'bearer ', 'Basic abc']) {
      assert.deepEqual(await verifier.verify(header, clock.now), {
        ok: false,
        reason: 'MissingProviderToken',
      });
    }
  });

  it('answers InvalidProviderToken for another key, kid, team, algorithm or garbage', async () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const bad = [
      await token({ key: other }),
      await token({ kid: 'OTHERKEY00' }),
      await token({ iss: 'OTHERTEAM0' }),
      await token({ iss: undefined }),
      await token({ alg: 'RS256', key: rsa }),
      'not.a.jwt',
      `${(await token()).slice(0, -4)}AAAA`,
    ];
    for (const jwt of bad) {
      assert.deepEqual(
        await verifier.verify(`bearer ${jwt}`, clock.now),
        { ok: false, reason: 'InvalidProviderToken' },
        jwt,
      );
    }
  });

  it('answers ExpiredProviderToken once the token is more than an hour old, by its iat', async () => {
    const jwt = await token({ iatMs: NOW - 59 * MINUTE });
    assert.equal((await verifier.verify(`bearer ${jwt}`, clock.now)).ok, true);
    clock.now = NOW + 2 * MINUTE;
    assert.deepEqual(await verifier.verify(`bearer ${jwt}`, clock.now), {
      ok: false,
      reason: 'ExpiredProviderToken',
    });
    clock.now = NOW;
    const stale = await token({ iatMs: NOW - 61 * MINUTE });
    assert.deepEqual(await verifier.verify(`bearer ${stale}`, clock.now), {
      ok: false,
      reason: 'ExpiredProviderToken',
    });
  });
});
