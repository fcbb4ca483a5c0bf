import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEV_RECIPIENT_HASH_SECRET,
  hashRecipient,
  maskRecipient,
  maskUserId,
} from '../../../src/core/identity/recipient-privacy.ts';

describe('maskRecipient', () => {
  it('keeps the prefix and the last four digits of a phone number', () => {
    assert.equal(maskRecipient('sms', '01012345678'), '010****5678');
    assert.equal(maskRecipient('vms', '0111234567'), '011***4567');
    assert.equal(maskRecipient('alimtalk', '021234567'), '021**4567');
  });

  it('keeps the first letter and the domain of an e-mail address', () => {
    assert.equal(maskRecipient('email', 'kim.lee@example.com'), 'k***@example.com');
  });

  it('keeps the first 6 characters of a device token', () => {
    assert.equal(maskRecipient('push', 'dGhpcyBpcyBhIHRva2Vu'), 'dGhpcy****');
  });
});

describe('maskUserId', () => {
  it('keeps the first 2 characters of a push user id, whole characters only', () => {
    assert.equal(maskUserId('member-4711'), 'user:me****');
    assert.equal(maskUserId('7'), 'user:7****');
    assert.equal(maskUserId('😀😀abc'), 'user:😀😀****');
  });
});

describe('hashRecipient', () => {
  it('is a keyed SHA-256 in hex: stable per secret, different across secrets', () => {
    const a = hashRecipient('01012345678', 'secret-a');
    assert.match(a, /^[0-9a-f]{64}$/);
    assert.equal(hashRecipient('01012345678', 'secret-a'), a);
    assert.notEqual(hashRecipient('01012345678', 'secret-b'), a);
    assert.notEqual(hashRecipient('01012345679', 'secret-a'), a);
  });

  it('defaults to the documented development secret', () => {
    assert.equal(hashRecipient('x'), hashRecipient('x', DEV_RECIPIENT_HASH_SECRET));
  });
});
