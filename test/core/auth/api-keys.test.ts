import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateApiKey, hashApiKey } from '../../../src/core/auth/api-keys.ts';

describe('generateApiKey', () => {
  it('is hk_ plus 32 random bytes in base64url, never repeated', () => {
    const keys = new Set(Array.from({ length: 100 }, generateApiKey));
    assert.equal(keys.size, 100);
    for (const key of keys) assert.match(key, /^hk_[A-Za-z0-9_-]{43}$/);
  });
});

describe('hashApiKey', () => {
  it('is the SHA-256 hex of the key', () => {
    assert.equal(hashApiKey('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.notEqual(hashApiKey(generateApiKey()), hashApiKey(generateApiKey()));
  });
});
