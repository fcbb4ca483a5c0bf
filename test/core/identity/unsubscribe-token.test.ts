import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { optOutEntry } from '../../../src/core/content/ad-opt-out.ts';
import {
  createUnsubscribeLinks,
  signUnsubscribeToken,
  UNSUBSCRIBE_PATH,
  verifyUnsubscribeToken,
} from '../../../src/core/identity/unsubscribe-token.ts';

const SECRET = 'unsubscribe-secret-for-tests-0123456789';
const HASH_SECRET = 'recipient-hash-secret-for-tests-0123456789';
const target = { clientId: 'shop', recipientHash: 'ab'.repeat(32) };

/** Flips one character of a base64url string to another valid one. */
function flip(text: string, at: number): string {
  const char = text[at] === 'A' ? 'B' : 'A';
  return text.slice(0, at) + char + text.slice(at + 1);
}

describe('unsubscribe token', () => {
  it('verifies what it signed: the client and the opt-out hash come back', () => {
    const token = signUnsubscribeToken(target, SECRET);
    assert.match(token, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/, 'URL-safe without escaping');
    assert.deepEqual(verifyUnsubscribeToken(token, SECRET), target);
  });

  it('is refused when any character is altered, in the payload or the signature', () => {
    const token = signUnsubscribeToken(target, SECRET);
    for (let at = 0; at < token.length; at += 1) {
      if (token[at] === '.') continue;
      assert.equal(verifyUnsubscribeToken(flip(token, at), SECRET), undefined, `character ${at}`);
    }
  });

  it('is refused under another secret, and when cut short, padded or malformed', () => {
    const token = signUnsubscribeToken(target, SECRET);
    assert.equal(verifyUnsubscribeToken(token, `${SECRET}x`), undefined);
    for (const bad of [
      '',
      '.',
      token.slice(0, -1),
      `${token}A`,
      `${token}.x`,
      token.replace('.', ''),
      `${token} `,
    ]) {
      assert.equal(verifyUnsubscribeToken(bad, SECRET), undefined, JSON.stringify(bad));
    }
  });

  it('cannot be moved to another client: the client id is under the signature', () => {
    const [payload, signature] = signUnsubscribeToken(target, SECRET).split('.');
    const bytes = Buffer.from(payload!, 'base64url');
    const other = Buffer.concat([bytes.subarray(0, 33), Buffer.from('rider')]);
    assert.equal(verifyUnsubscribeToken(`${other.toString('base64url')}.${signature}`, SECRET), undefined);
    const forOther = signUnsubscribeToken({ ...target, clientId: 'rider' }, SECRET);
    assert.equal(verifyUnsubscribeToken(forOther, SECRET)?.clientId, 'rider');
    assert.notEqual(forOther, signUnsubscribeToken(target, SECRET));
  });

  it('links carry no address, and name the entry POST /v1/opt-outs makes (case-folded)', () => {
    const links = createUnsubscribeLinks({
      secret: SECRET,
      recipientHashSecret: HASH_SECRET,
      baseUrl: () => 'https://herald.example.com/',
    });
    const url = links.urlFor('shop', 'Kim.Lee@Example.COM');
    assert.ok(url.startsWith(`https://herald.example.com${UNSUBSCRIBE_PATH}`), url);
    assert.ok(!/kim|lee|example\.com\/.*example/i.test(url.slice(url.indexOf(UNSUBSCRIBE_PATH))), url);
    const token = url.slice(url.lastIndexOf('/') + 1);
    const entry = optOutEntry('email', 'kim.lee@example.com', HASH_SECRET);
    assert.ok(entry.ok);
    assert.deepEqual(verifyUnsubscribeToken(token, SECRET), {
      clientId: 'shop',
      recipientHash: entry.value.recipientHash,
    });
    assert.equal(links.urlFor('shop', 'kim.lee@example.com'), url, 'the same link for every spelling');
  });
});
