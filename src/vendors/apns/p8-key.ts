import { createPrivateKey, type KeyObject } from 'node:crypto';

/**
 * A .p8 key that cannot be used to sign APNs provider tokens. The message says what is wrong and
 * where the key came from (a file path or an env var name), never any of the key's text: these
 * errors end up in logs and in boot failure output.
 */
export class ApnsKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApnsKeyError';
  }
}

const PKCS8_HEADER = '-----BEGIN PRIVATE KEY-----';
const SEC1_HEADER = '-----BEGIN EC PRIVATE KEY-----';

/**
 * Reads the .p8 key Apple hands out for token-based APNs auth: a PKCS#8 PEM holding an EC P-256
 * private key (ES256). `source` names where the text came from, for the error message only.
 *
 * A key pasted into an env var often arrives with its line breaks escaped as the two characters
 * `\n`; those are turned back into line breaks, as the key cannot contain a backslash otherwise.
 */
export function parseP8Key(pem: string | Buffer, source: string): KeyObject {
  const text = (typeof pem === 'string' ? pem : pem.toString('utf8')).replaceAll('\\n', '\n').trim();
  if (text === '') throw new ApnsKeyError(`The APNs key from ${source} is empty`);
  if (!text.includes(PKCS8_HEADER) && !text.includes(SEC1_HEADER)) {
    throw new ApnsKeyError(
      `The APNs key from ${source} is not a PEM private key (expected the ${PKCS8_HEADER} block of a .p8 file)`,
    );
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: text, format: 'pem' });
  } catch {
    // The OpenSSL error says nothing more useful and is left out so no key text can leak through it.
    throw new ApnsKeyError(
      `The APNs key from ${source} is not a readable PEM private key (damaged or cut short)`,
    );
  }
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (key.asymmetricKeyType !== 'ec' || curve !== 'prime256v1') {
    const kind =
      key.asymmetricKeyType === 'ec'
        ? `an EC key on ${curve ?? 'an unknown curve'}`
        : `a ${key.asymmetricKeyType ?? 'unknown'} key`;
    throw new ApnsKeyError(`The APNs key from ${source} is ${kind}; APNs needs an EC P-256 key (ES256)`);
  }
  return key;
}
