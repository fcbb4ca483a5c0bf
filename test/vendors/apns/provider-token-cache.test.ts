import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { sharedProviderTokenSigner } from '../../../src/vendors/apns/provider-token-cache.ts';

const key = () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;

describe('sharedProviderTokenSigner', () => {
  it("gives every lane's adapter of one key the same signer, so the process sends one token", async () => {
    const privateKey = key();
    const first = sharedProviderTokenSigner({ keyId: 'SHARED0001', teamId: 'TEAM000001', privateKey });
    const second = sharedProviderTokenSigner({ keyId: 'SHARED0001', teamId: 'TEAM000001', privateKey });
    assert.equal(first, second);
    assert.equal(await first.current(), await second.current());
  });

  it('gives a rotated key under the same id, another key id, or a test clock a signer of its own', () => {
    const privateKey = key();
    const shared = sharedProviderTokenSigner({ keyId: 'SHARED0002', teamId: 'TEAM000001', privateKey });
    const rotated = sharedProviderTokenSigner({
      keyId: 'SHARED0002',
      teamId: 'TEAM000001',
      privateKey: key(),
    });
    assert.notEqual(rotated, shared);
    assert.notEqual(
      sharedProviderTokenSigner({ keyId: 'SHARED0003', teamId: 'TEAM000001', privateKey }),
      rotated,
    );
    const clocked = sharedProviderTokenSigner({
      keyId: 'SHARED0002',
      teamId: 'TEAM000001',
      privateKey,
      now: () => 0,
    });
    assert.notEqual(clocked, rotated);
  });
});
