import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { SecretBox } from '../../../src/core/callbacks/secret-box.ts';
import { generateWebhookSecret, signWebhook } from '../../../src/core/callbacks/webhook-signing.ts';

describe('webhook signing (Standard Webhooks)', () => {
  const body = JSON.stringify({ events: [{ id: 'evt_1', type: 'message.sent' }] });

  it('signs so that the reference library verifies, and an altered body does not', () => {
    const secret = generateWebhookSecret();
    assert.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    const headers = signWebhook('evt_1', Date.now(), body, [secret]);
    assert.deepEqual(new Webhook(secret).verify(body, { ...headers }), JSON.parse(body));
    assert.throws(() => new Webhook(secret).verify(`${body} `, { ...headers }));
    assert.throws(() => new Webhook(generateWebhookSecret()).verify(body, { ...headers }));
  });

  it('carries one space-separated v1 signature per secret during a rotation; each secret verifies', () => {
    const [previous, current] = [generateWebhookSecret(), generateWebhookSecret()];
    const headers = signWebhook('batch_x', Date.now(), body, [current, previous]);
    assert.equal(headers['webhook-signature'].split(' ').length, 2);
    assert.ok(headers['webhook-signature'].split(' ').every((part) => part.startsWith('v1,')));
    for (const secret of [previous, current]) new Webhook(secret).verify(body, { ...headers });
  });

  it('puts the timestamp in seconds', () => {
    const headers = signWebhook('evt_1', 1_764_579_600_123, body, [generateWebhookSecret()]);
    assert.equal(headers['webhook-timestamp'], '1764579600');
    assert.equal(headers['webhook-id'], 'evt_1');
  });
});

describe('secret box', () => {
  it('opens what it sealed, never shows the secret in the sealed form, and refuses an altered one', () => {
    const box = new SecretBox(Buffer.alloc(32, 1));
    const secret = generateWebhookSecret();
    const sealed = box.seal(secret);
    assert.equal(sealed.includes(secret.slice(6, 20)), false);
    assert.notEqual(box.seal(secret), sealed, 'a fresh nonce each time');
    assert.equal(box.open(sealed), secret);
    const parts = sealed.split('.');
    const flipped = parts[3]!.startsWith('A') ? `B${parts[3]!.slice(1)}` : `A${parts[3]!.slice(1)}`;
    assert.throws(() => box.open([...parts.slice(0, 3), flipped].join('.')));
    assert.throws(() => new SecretBox(Buffer.alloc(32, 2)).open(sealed), 'another key cannot open it');
  });
});
