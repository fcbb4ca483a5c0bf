import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { ApnsKeyError, parseP8Key } from '../../../src/vendors/apns/p8-key.ts';

function pemOf(
  type: 'ec' | 'rsa',
  options: Record<string, unknown>,
  format: 'pkcs8' | 'sec1' = 'pkcs8',
): string {
  const { privateKey } = generateKeyPairSync(type as 'ec', options as { namedCurve: string });
  return privateKey.export({ format: 'pem', type: format }) as string;
}

/** The base64 lines of a PEM: none of them may appear in an error message. */
function keyLines(pem: string): string[] {
  return pem.split('\n').filter((line) => line !== '' && !line.startsWith('-----'));
}

function refusal(pem: string | Buffer): ApnsKeyError {
  try {
    parseP8Key(pem, 'HERALD_TEST_KEY');
  } catch (error) {
    assert.ok(error instanceof ApnsKeyError);
    assert.match(error.message, /HERALD_TEST_KEY/);
    return error;
  }
  assert.fail('the key should have been refused');
}

describe('parseP8Key', () => {
  const p8 = pemOf('ec', { namedCurve: 'P-256' });

  it('reads an Apple-style PKCS#8 P-256 key, from text or bytes', () => {
    assert.equal(parseP8Key(p8, 'f').asymmetricKeyDetails?.namedCurve, 'prime256v1');
    assert.equal(parseP8Key(Buffer.from(p8), 'f').asymmetricKeyType, 'ec');
  });

  it('reads a SEC1 P-256 key and a key whose line breaks came escaped through an env var', () => {
    assert.equal(parseP8Key(pemOf('ec', { namedCurve: 'P-256' }, 'sec1'), 'f').asymmetricKeyType, 'ec');
    assert.equal(parseP8Key(p8.replaceAll('\n', '\\n'), 'env').asymmetricKeyType, 'ec');
  });

  it('says what is wrong with an empty, non-PEM, damaged or wrong-kind key', () => {
    assert.match(refusal('  \n').message, /is empty/);
    assert.match(refusal('{"type":"service_account"}').message, /not a PEM private key/);
    const lines = p8.split('\n');
    const damaged = [...lines.slice(0, 2), ...lines.slice(3)].join('\n');
    assert.match(refusal(damaged).message, /not a readable PEM private key/);
    assert.match(refusal(pemOf('rsa', { modulusLength: 2048 })).message, /rsa key; APNs needs an EC P-256/);
    assert.match(refusal(pemOf('ec', { namedCurve: 'P-384' })).message, /EC key on secp384r1/);
  });

  it('never puts any of the key text in its message or cause', () => {
    const lines = p8.split('\n');
    const damaged = [...lines.slice(0, 2), 'not base64 at all!', ...lines.slice(3)].join('\n');
    const error = refusal(damaged);
    assert.equal(error.cause, undefined);
    for (const line of keyLines(damaged)) assert.ok(!error.message.includes(line));
    assert.ok(!String(error.stack).includes(keyLines(p8)[0]!));
  });
});
