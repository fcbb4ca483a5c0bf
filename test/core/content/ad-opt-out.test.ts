import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { optOutEntry, optOutHashes, optOutScope } from '../../../src/core/content/ad-opt-out.ts';
import { hashRecipient } from '../../../src/core/identity/recipient-privacy.ts';

const SECRET = 'opt-out-test-secret';

describe('opt-out entries', () => {
  it('key a phone number by its normalised form, as a keyed hash', () => {
    const entries = ['010-1234-5678', '+82 10 1234 5678', '01012345678'].map((to) =>
      optOutEntry('sms', to, SECRET),
    );
    for (const entry of entries) {
      assert.deepEqual(entry, {
        ok: true,
        value: { scope: 'sms', recipientHash: hashRecipient('01012345678', SECRET) },
      });
    }
    const entry = entries[0]!;
    assert.ok(entry.ok && !entry.value.recipientHash.includes('5678'), 'never in clear');
  });

  it('put sms, lms and mms on one list, and keep push, email and vms apart', () => {
    assert.deepEqual(
      ['sms', 'lms', 'mms', 'push', 'email', 'vms'].map((c) => optOutScope(c as never)),
      ['sms', 'sms', 'sms', 'push', 'email', 'vms'],
    );
    const lms = optOutEntry('lms', '010-1234-5678', SECRET);
    assert.equal(lms.ok && lms.value.scope, 'sms');
  });

  it("refuse a recipient that is not valid for the channel with the channel's own code", () => {
    const phone = optOutEntry('sms', '02-123-4567', SECRET);
    assert.equal(!phone.ok && phone.error.code, 'HERALD_INVALID_PHONE');
    const email = optOutEntry('email', 'not-an-address', SECRET);
    assert.equal(!email.ok && email.error.code, 'HERALD_INVALID_EMAIL');
  });

  it('key an e-mail address case-folded: an opt-out of Victim@Example.COM covers victim@example.com', () => {
    const spellings = ['Victim@Example.COM', 'victim@example.com', ' VICTIM@example.com '];
    const entries = spellings.map((to) => optOutEntry('email', to, SECRET));
    for (const entry of entries) {
      assert.equal(entry.ok && entry.value.recipientHash, hashRecipient('victim@example.com', SECRET));
    }
    assert.deepEqual(entries[0]!.ok && entries[0]!.value, {
      scope: 'email',
      recipientHash: hashRecipient('victim@example.com', SECRET),
      exactCaseHash: hashRecipient('Victim@example.com', SECRET),
    });
    assert.equal(entries[1]!.ok && 'exactCaseHash' in entries[1]!.value, false);
  });

  it('look an address with capitals up under its folded hash and the exact-case hash of older entries', () => {
    assert.deepEqual(optOutHashes('email', 'Victim@example.com', SECRET), [
      hashRecipient('victim@example.com', SECRET),
      hashRecipient('Victim@example.com', SECRET),
    ]);
    assert.deepEqual(optOutHashes('email', 'victim@example.com', SECRET), [
      hashRecipient('victim@example.com', SECRET),
    ]);
    assert.deepEqual(
      optOutHashes('push', 'AbCdEf', SECRET),
      [hashRecipient('AbCdEf', SECRET)],
      'tokens keep case',
    );
  });
});
