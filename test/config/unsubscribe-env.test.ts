import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { derivedUnsubscribeSecret, loadEnvConfig } from '../../src/config/env-config.ts';
import { DEV_RECIPIENT_HASH_SECRET } from '../../src/core/identity/recipient-privacy.ts';

describe('HERALD_UNSUBSCRIBE_SECRET and HERALD_PUBLIC_URL', () => {
  it('derive the unsubscribe key from the recipient-hash secret when unset, distinct from it', () => {
    const own = 'an-own-recipient-hash-secret-0123456789';
    assert.equal(loadEnvConfig({}).unsubscribeSecret, derivedUnsubscribeSecret(DEV_RECIPIENT_HASH_SECRET));
    const config = loadEnvConfig({ HERALD_RECIPIENT_HASH_SECRET: own });
    assert.equal(config.unsubscribeSecret, derivedUnsubscribeSecret(own));
    assert.notEqual(config.unsubscribeSecret, own);
    assert.notEqual(config.unsubscribeSecret, derivedUnsubscribeSecret(DEV_RECIPIENT_HASH_SECRET));
  });

  it('take a secret of 32 characters or more, and refuse a shorter one', () => {
    const secret = 'u'.repeat(32);
    assert.equal(loadEnvConfig({ HERALD_UNSUBSCRIBE_SECRET: secret }).unsubscribeSecret, secret);
    assert.throws(() => loadEnvConfig({ HERALD_UNSUBSCRIBE_SECRET: 'short' }), /HERALD_UNSUBSCRIBE_SECRET/);
  });

  it('take an http(s) public URL without its trailing slash; unset, none', () => {
    assert.equal(loadEnvConfig({}).publicUrl, undefined);
    assert.equal(
      loadEnvConfig({ HERALD_PUBLIC_URL: 'https://herald.example.com/' }).publicUrl,
      'https://herald.example.com',
    );
    assert.throws(() => loadEnvConfig({ HERALD_PUBLIC_URL: 'ftp://x' }), /HERALD_PUBLIC_URL/);
  });
});
