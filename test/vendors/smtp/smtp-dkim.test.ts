import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import type { ReceivedMail } from '../../../src/simulators/smtp/smtp-simulator.ts';
import { emailMessage, useSmtpRelay } from './smtp-test-kit.ts';

const DOMAIN = 'mail.herald.test';
const SELECTOR = 'herald2026';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PUBLIC_KEY_RECORD = `v=DKIM1; k=rsa; p=${(publicKey.export({ type: 'spki', format: 'der' }) as Buffer).toString('base64')}`;

/** DNS as the verifier sees it: only the selector's TXT record, nothing else exists. */
async function resolver(name: string, type: string): Promise<string[][]> {
  if (type === 'TXT' && name === `${SELECTOR}._domainkey.${DOMAIN}`) return [[PUBLIC_KEY_RECORD]];
  throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
}

async function dkimOf(raw: Buffer | string) {
  const { results } = await dkimVerify(raw, { resolver });
  return results;
}

/**
 * DKIM signing on the wire (settings dkim): the relay receives a message signed for the domain and
 * selector with the configured key, and a verifier that looks the public key up in DNS (here a
 * resolver answering the selector's TXT record) passes it; the same message altered after signing
 * (body or a signed header) does not pass.
 */
describe('smtp adapter: DKIM signing', () => {
  const relay = useSmtpRelay({
    dkim: {
      domainName: DOMAIN,
      keySelector: SELECTOR,
      privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    },
  });

  const sendAndRead = async (): Promise<ReceivedMail> => {
    const message = emailMessage({ subject: 'Your order 주문' });
    await relay.vendor.send(message, AbortSignal.timeout(10_000));
    const mail = relay.received.find((r) => r.messageId === message.messageId);
    assert.ok(mail, 'the relay received the message');
    return mail;
  };

  it('signs every message so that a verifier with the published key passes it', async () => {
    const mail = await sendAndRead();
    const results = await dkimOf(mail.raw);
    assert.equal(results.length, 1);
    const [result] = results;
    assert.equal(result?.status.result, 'pass', JSON.stringify(result?.status));
    assert.equal(result?.signingDomain, DOMAIN);
    assert.equal(result?.selector, SELECTOR);
    assert.equal(result?.algo, 'rsa-sha256');
    assert.ok(mail.mail.headers.has('dkim-signature'));
  });

  it('does not pass a message altered after signing', async () => {
    const raw = (await sendAndRead()).raw.toString('utf8');
    const bodyAt = raw.indexOf('\r\n\r\n');
    assert.ok(bodyAt > 0);
    const alteredBody = `${raw.slice(0, bodyAt)}\r\n\r\nPay here: https://evil.example\r\n${raw.slice(bodyAt + 4)}`;
    const alteredSubject = raw.replace(/^Subject: .*$/m, 'Subject: Your refund');
    assert.notEqual(alteredSubject, raw);
    // A changed body fails the body hash (mailauth: neutral, RFC 6376 §6.3), a changed signed header the signature.
    const [body] = await dkimOf(alteredBody);
    assert.notEqual(body?.status.result, 'pass');
    assert.deepEqual([body?.status.result, body?.status.comment], ['neutral', 'body hash did not verify']);
    const [subject] = await dkimOf(alteredSubject);
    assert.deepEqual([subject?.status.result, subject?.status.comment], ['fail', 'bad signature']);
  });

  it('does not pass when DNS publishes another key for the selector', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    const otherRecord = `v=DKIM1; k=rsa; p=${(other.export({ type: 'spki', format: 'der' }) as Buffer).toString('base64')}`;
    const mail = await sendAndRead();
    const { results } = await dkimVerify(mail.raw, { resolver: async () => [[otherRecord]] });
    assert.equal(results[0]?.status.result, 'fail');
  });
});

describe('smtp adapter: without dkim settings', () => {
  const relay = useSmtpRelay();

  it('sends unsigned mail', async () => {
    const message = emailMessage();
    await relay.vendor.send(message, AbortSignal.timeout(10_000));
    const mail = relay.received.find((r) => r.messageId === message.messageId);
    assert.ok(mail);
    assert.equal(mail.mail.headers.has('dkim-signature'), false);
    assert.equal((await dkimOf(mail.raw))[0]?.status.result, 'none');
  });
});
