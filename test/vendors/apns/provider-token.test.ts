import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import {
  MAX_RENEWAL_INTERVAL_MS,
  MIN_RENEWAL_INTERVAL_MS,
  ProviderTokenSigner,
} from '../../../src/vendors/apns/provider-token.ts';

const MINUTE = 60_000;
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });

function signerAt(clock: { now: number }, renewAfterMs?: number): ProviderTokenSigner {
  return new ProviderTokenSigner({
    keyId: 'ABC123DEFG',
    teamId: 'TEAM123456',
    privateKey,
    renewAfterMs,
    now: () => clock.now,
  });
}

describe('ProviderTokenSigner', () => {
  it('signs an ES256 JWT with header {alg, kid} and claims {iss, iat} only', async () => {
    const clock = { now: Date.parse('2026-12-01T00:00:00.900Z') };
    const jwt = await signerAt(clock).current();
    assert.deepEqual(decodeProtectedHeader(jwt), { alg: 'ES256', kid: 'ABC123DEFG' });
    assert.deepEqual(decodeJwt(jwt), { iss: 'TEAM123456', iat: Date.parse('2026-12-01T00:00:00Z') / 1_000 });
    const verified = await jwtVerify(jwt, publicKey, {
      algorithms: ['ES256'],
      issuer: 'TEAM123456',
      currentDate: new Date(clock.now),
    });
    assert.equal(verified.protectedHeader.kid, 'ABC123DEFG');
  });

  it('signs once for a burst of concurrent callers', async () => {
    const signer = signerAt({ now: 1_000_000 });
    const tokens = await Promise.all(Array.from({ length: 500 }, () => signer.current()));
    assert.equal(new Set(tokens).size, 1);
  });

  it('under steady load, changes the token every 20-50 min and never sooner, for each allowed setting', async () => {
    for (const renewAfterMs of [undefined, MIN_RENEWAL_INTERVAL_MS, MAX_RENEWAL_INTERVAL_MS]) {
      const clock = { now: 0 };
      const signer = signerAt(clock, renewAfterMs);
      const changes: number[] = [];
      let last = '';
      // Four hours, a burst of 20 sends every 30 s.
      for (clock.now = 0; clock.now <= 240 * MINUTE; clock.now += 30_000) {
        const tokens = new Set(await Promise.all(Array.from({ length: 20 }, () => signer.current())));
        assert.equal(tokens.size, 1);
        const [token] = tokens;
        if (token !== last) changes.push(clock.now);
        last = token!;
      }
      const gaps = changes.slice(1).map((at, index) => at - changes[index]!);
      assert.ok(gaps.length >= 4, `renewed ${gaps.length} times in 4 h`);
      for (const gap of gaps) {
        assert.ok(
          gap >= MIN_RENEWAL_INTERVAL_MS && gap <= MAX_RENEWAL_INTERVAL_MS + 30_000,
          `gap ${gap / MINUTE} min`,
        );
      }
    }
  });

  it('keeps the token 19 min 59 s and replaces it at 50 min with the longest setting', async () => {
    const clock = { now: 0 };
    const signer = signerAt(clock, MAX_RENEWAL_INTERVAL_MS);
    const first = await signer.current();
    clock.now = 20 * MINUTE - 1_000;
    assert.equal(await signer.current(), first);
    clock.now = 49 * MINUTE;
    assert.equal(await signer.current(), first);
    clock.now = 50 * MINUTE;
    const second = await signer.current();
    assert.notEqual(second, first);
    assert.equal(decodeJwt(second).iat, 50 * 60);
  });

  it('refuses a renewal setting outside 20..50 min', () => {
    for (const renewAfterMs of [MIN_RENEWAL_INTERVAL_MS - 1, MAX_RENEWAL_INTERVAL_MS + 1, Number.NaN]) {
      assert.throws(() => signerAt({ now: 0 }, renewAfterMs), RangeError);
    }
  });

  it('renews a refused token once for all concurrent refusals, then not again within 20 min', async () => {
    const clock = { now: 0 };
    const signer = signerAt(clock);
    const refused = await signer.current();
    clock.now = 1_000;
    const renewed = await Promise.all(Array.from({ length: 50 }, () => signer.renewAfterRejection(refused)));
    assert.equal(new Set(renewed).size, 1);
    const [second] = renewed;
    assert.notEqual(second, refused);
    assert.equal(await signer.current(), second);
    // A late answer about the first token: the newer one is already there.
    assert.equal(await signer.renewAfterRejection(refused), second);
    // The new token is refused too: no second early renewal inside 20 min.
    clock.now = 19 * MINUTE;
    assert.equal(await signer.renewAfterRejection(second!), undefined);
    clock.now = 1_000 + MIN_RENEWAL_INTERVAL_MS;
    const third = await signer.renewAfterRejection(second!);
    assert.ok(third !== undefined && third !== second);
  });
});
