import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MessageKeyInput } from '../../../src/core/identity/message-key.ts';
import {
  canonicalJson,
  computeMessageKey,
  fingerprintContent,
} from '../../../src/core/identity/message-key.ts';

const base: MessageKeyInput = {
  clientId: 'shop',
  contentFingerprint: fingerprintContent({ content: { body: 'hello' } }),
  recipient: '01012345678',
  channel: 'sms',
};

describe('computeMessageKey', () => {
  it('is 16 bytes in base64url and the same for the same input', () => {
    const key = computeMessageKey(base);
    assert.match(key, /^[A-Za-z0-9_-]{22}$/);
    assert.equal(computeMessageKey({ ...base }), key);
  });

  it('changes with each part of the identity', () => {
    const key = computeMessageKey(base);
    const variants: MessageKeyInput[] = [
      { ...base, clientId: 'other' },
      { ...base, recipient: '01012345679' },
      { ...base, channel: 'lms' },
      { ...base, contentFingerprint: fingerprintContent({ content: { body: 'hello!' } }) },
      { ...base, idempotencyKey: 'req-1' },
    ];
    const keys = new Set(variants.map(computeMessageKey));
    assert.equal(keys.size, variants.length);
    assert.ok(!keys.has(key));
  });

  it('with an idempotency key, ignores the content', () => {
    const a = computeMessageKey({ ...base, idempotencyKey: 'req-1' });
    const b = computeMessageKey({ ...base, idempotencyKey: 'req-1', contentFingerprint: 'different' });
    assert.equal(a, b);
  });

  it('cannot be forged by moving characters between fields (length prefixes)', () => {
    const a = computeMessageKey({ ...base, clientId: 'ab', idempotencyKey: 'c' });
    const b = computeMessageKey({ ...base, clientId: 'a', idempotencyKey: 'bc' });
    assert.notEqual(a, b);
  });

  it('keeps an idempotency key that equals a fingerprint apart from that fingerprint', () => {
    const byContent = computeMessageKey(base);
    const byKey = computeMessageKey({ ...base, idempotencyKey: base.contentFingerprint });
    assert.notEqual(byContent, byKey);
  });
});

describe('canonicalJson / fingerprintContent', () => {
  it('does not depend on key order or undefined members', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [1, 'x'], c: null } }), '{"a":{"c":null,"d":[1,"x"]},"b":1}');
    assert.equal(
      fingerprintContent({ body: 'x', subject: undefined, vars: { b: '2', a: '1' } }),
      fingerprintContent({ vars: { a: '1', b: '2' }, body: 'x' }),
    );
  });
});
