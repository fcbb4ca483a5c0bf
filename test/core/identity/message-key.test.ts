import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fingerprintRequest, idempotencyRecordKey } from '../../../src/core/identity/idempotency-identity.ts';
import type { MessageKeyInput } from '../../../src/core/identity/message-key.ts';
import {
  canonicalJson,
  computeMessageKey,
  fingerprintContent,
  shortHash,
} from '../../../src/core/identity/message-key.ts';

const base: MessageKeyInput = {
  clientId: 'shop',
  scope: { kind: 'request', requestId: 'req-1' },
  contentFingerprint: fingerprintContent({ content: { body: 'hello' } }),
  recipient: '01012345678',
  channel: 'sms',
};

describe('shortHash', () => {
  it('keeps the bytes it has always hashed (a stored key must still match after an upgrade)', () => {
    // Each field as a 4-byte big-endian UTF-8 length and its bytes; values computed that way.
    assert.equal(shortHash(['a', 'bc']), 'tTTOFqycizaCPzmjlc6ODg');
    assert.equal(shortHash(['ab', 'c']), '8pOfkDAW5bspseSmHNvTdg');
    assert.equal(shortHash(['클라이언트', '😀x', '']), '52A9fjLZhnQlw-pnvrdqdQ');
  });
});

describe('computeMessageKey', () => {
  it('is 16 bytes in base64url and the same for the same input', () => {
    const key = computeMessageKey(base);
    assert.match(key, /^[A-Za-z0-9_-]{22}$/);
    assert.equal(computeMessageKey({ ...base }), key);
  });

  it('changes with each part of the identity, the request scope included', () => {
    const key = computeMessageKey(base);
    const variants: MessageKeyInput[] = [
      { ...base, clientId: 'other' },
      { ...base, recipient: '01012345679' },
      { ...base, channel: 'lms' },
      { ...base, contentFingerprint: fingerprintContent({ content: { body: 'hello!' } }) },
      { ...base, scope: { kind: 'request', requestId: 'req-2' } },
      { ...base, scope: { kind: 'idempotency-key', idempotencyKey: 'req-1' } },
      { ...base, scope: { kind: 'content' } },
    ];
    const keys = new Set(variants.map(computeMessageKey));
    assert.equal(keys.size, variants.length);
    assert.ok(!keys.has(key));
  });

  it('two requests without a key give the same text to the same number two different keys', () => {
    const first = computeMessageKey({ ...base, scope: { kind: 'request', requestId: 'req-a' } });
    const second = computeMessageKey({ ...base, scope: { kind: 'request', requestId: 'req-b' } });
    assert.notEqual(first, second);
  });

  it('a retry under the same Idempotency-Key, or the same content under content dedup, keeps its key', () => {
    for (const scope of [
      { kind: 'idempotency-key', idempotencyKey: 'order-77' },
      { kind: 'content' },
    ] as const) {
      assert.equal(
        computeMessageKey({ ...base, scope }),
        computeMessageKey({ ...base, scope: { ...scope } }),
      );
    }
  });

  it('cannot be forged by moving characters between fields (length prefixes)', () => {
    const a = computeMessageKey({
      ...base,
      clientId: 'ab',
      scope: { kind: 'idempotency-key', idempotencyKey: 'c' },
    });
    const b = computeMessageKey({
      ...base,
      clientId: 'a',
      scope: { kind: 'idempotency-key', idempotencyKey: 'bc' },
    });
    assert.notEqual(a, b);
  });

  it('keeps a request id apart from an Idempotency-Key of the same text', () => {
    const byRequest = computeMessageKey({ ...base, scope: { kind: 'request', requestId: 'x' } });
    const byKey = computeMessageKey({ ...base, scope: { kind: 'idempotency-key', idempotencyKey: 'x' } });
    assert.notEqual(byRequest, byKey);
  });
});

describe('idempotency identity', () => {
  it('scopes a record to its client', () => {
    assert.notEqual(idempotencyRecordKey('shop', 'k-1'), idempotencyRecordKey('other', 'k-1'));
    assert.equal(idempotencyRecordKey('shop', 'k-1'), idempotencyRecordKey('shop', 'k-1'));
    assert.match(idempotencyRecordKey('shop', 'k'.repeat(255)), /^[A-Za-z0-9_-]{22}$/);
  });

  it('fingerprints the body as sent: member order does not matter, client and key are not part of it', () => {
    const request = {
      clientId: 'shop',
      idempotencyKey: 'k',
      channel: 'sms',
      lane: 'realtime',
      content: { body: 'x' },
    };
    assert.equal(
      fingerprintRequest(request),
      fingerprintRequest({
        content: { body: 'x' },
        lane: 'realtime',
        channel: 'sms',
        clientId: 'other',
      } as typeof request),
    );
    assert.notEqual(fingerprintRequest(request), fingerprintRequest({ ...request, content: { body: 'y' } }));
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
