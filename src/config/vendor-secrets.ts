import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { SecretReference } from '../core/domain/remote-config.ts';

/**
 * Loads the secrets a vendor definition names (remote config: `credentials` of an fcm vendor, `key`
 * of an apns one) from a file or an environment variable of this process, when the adapter is
 * built. Only the sending processes need them; the config store never holds them.
 *
 * Errors name the vendor, the field and the file or variable, and what is wrong with the content
 * in general words: never the content, not even a fragment (JSON.parse's own message quotes the
 * text it choked on, so it is not passed on).
 */
export class VendorSecretError extends Error {
  readonly vendorId: string;

  constructor(vendorId: string, message: string) {
    super(`vendor ${vendorId}: ${message}`);
    this.name = 'VendorSecretError';
    this.vendorId = vendorId;
  }
}

/** Where secrets are read from: the file system and this process's environment (tests pass their own). */
export interface SecretSource {
  readFile(path: string): string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export const PROCESS_SECRETS: SecretSource = {
  readFile: (path) => readFileSync(path, 'utf8'),
  env: process.env,
};

/** The fields of a Google service-account key file the FCM adapter uses. */
export interface ServiceAccountKey {
  readonly type: 'service_account';
  readonly project_id: string;
  readonly client_email: string;
  readonly private_key: string;
  readonly private_key_id?: string;
  readonly token_uri?: string;
}

/** `credentials` of an fcm vendor: a service-account key file's JSON, checked field by field. */
export function loadServiceAccount(
  vendorId: string,
  reference: SecretReference,
  source: SecretSource = PROCESS_SECRETS,
): ServiceAccountKey {
  const { text, where } = readSecret(vendorId, 'credentials', reference, source);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new VendorSecretError(vendorId, `the service-account key in ${where} is not valid JSON`);
  }
  const account = (parsed ?? {}) as Record<string, unknown>;
  const missing = ['project_id', 'client_email', 'private_key'].filter(
    (field) => typeof account[field] !== 'string' || account[field] === '',
  );
  if (typeof parsed !== 'object' || account.type !== 'service_account' || missing.length > 0) {
    const lacks = missing.length > 0 ? `; it lacks ${missing.join(', ')}` : '';
    throw new VendorSecretError(
      vendorId,
      `${where} is not a Google service-account key file (type "service_account"${lacks}); ` +
        'download one from the Firebase console (Project settings, Service accounts)',
    );
  }
  checkKey(vendorId, `private_key of the service account in ${where}`, account.private_key as string, 'rsa');
  return account as unknown as ServiceAccountKey;
}

/** `key` of an apns vendor: the .p8 file Apple issues, a PKCS#8 PEM of an EC P-256 key. */
export function loadApnsKey(
  vendorId: string,
  reference: SecretReference,
  source: SecretSource = PROCESS_SECRETS,
): string {
  const { text, where } = readSecret(vendorId, 'key', reference, source);
  // An environment variable often carries the PEM's line breaks as the two characters \n.
  const pem = text.includes('\n') ? text : text.replaceAll('\\n', '\n');
  checkKey(vendorId, `the APNs key in ${where}`, pem, 'ec');
  return pem;
}

function readSecret(
  vendorId: string,
  field: string,
  reference: SecretReference,
  source: SecretSource,
): { text: string; where: string } {
  if (reference.file !== undefined) {
    const where = `file ${reference.file} (${field}.file)`;
    try {
      const text = source.readFile(reference.file);
      if (text.trim() === '') throw new VendorSecretError(vendorId, `${where} is empty`);
      return { text, where };
    } catch (error) {
      if (error instanceof VendorSecretError) throw error;
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new VendorSecretError(vendorId, `${where} cannot be read (${code})`);
    }
  }
  if (reference.env !== undefined) {
    const where = `environment variable ${reference.env} (${field}.env)`;
    const text = source.env[reference.env];
    if (text === undefined || text.trim() === '') {
      throw new VendorSecretError(vendorId, `${where} is not set in this process`);
    }
    return { text, where };
  }
  throw new VendorSecretError(vendorId, `${field} names neither a file nor an environment variable`);
}

function checkKey(vendorId: string, what: string, pem: string, type: 'rsa' | 'ec'): void {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new VendorSecretError(vendorId, `${what} is not a PEM private key`);
  }
  if (key.asymmetricKeyType !== type) {
    const wanted = type === 'rsa' ? 'an RSA key (RS256)' : 'an EC P-256 key (ES256)';
    throw new VendorSecretError(vendorId, `${what} is not ${wanted}`);
  }
  if (type === 'ec' && key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new VendorSecretError(vendorId, `${what} is not on curve P-256 (ES256 needs it)`);
  }
}

/**
 * `credentials` of a Korean text vendor: the secret as one line of text (NHN secret key, SENS
 * secret key, SOLAPI API secret), surrounding whitespace and a final newline trimmed. Printable
 * ASCII only: every one of these vendors issues such keys, and anything else is a wrong file.
 */
export function loadTextSecret(
  vendorId: string,
  reference: SecretReference,
  source: SecretSource = PROCESS_SECRETS,
): string {
  const { text, where } = readSecret(vendorId, 'credentials', reference, source);
  const secret = text.trim();
  if (!/^[\x21-\x7e]+$/.test(secret)) {
    throw new VendorSecretError(vendorId, `${where} is not a single-line secret key of printable ASCII`);
  }
  return secret;
}

/**
 * `credentials` of an smtp vendor: the AUTH password, one line (a final newline trimmed, spaces
 * inside kept: passwords may have them). No control characters, so nothing can break out of the
 * AUTH exchange.
 */
export function loadSmtpPassword(
  vendorId: string,
  reference: SecretReference,
  source: SecretSource = PROCESS_SECRETS,
): string {
  const { text, where } = readSecret(vendorId, 'credentials', reference, source);
  const password = text.replace(/\r?\n$/, '');
  if (password === '' || [...password].some(isControlCharacter)) {
    throw new VendorSecretError(
      vendorId,
      `${where} is not a single-line password without control characters`,
    );
  }
  return password;
}

/**
 * `dkim.privateKey` of an smtp vendor: the PEM of an RSA private key (PKCS#8 or PKCS#1), of at
 * least 1024 bits (RFC 8301: verifiers refuse shorter keys; 2048 is what to generate). Returned as
 * PKCS#8 PEM, the form nodemailer's signer takes.
 */
export function loadDkimKey(
  vendorId: string,
  reference: SecretReference,
  source: SecretSource = PROCESS_SECRETS,
): string {
  const { text, where } = readSecret(vendorId, 'dkim.privateKey', reference, source);
  const pem = text.includes('\n') ? text : text.replaceAll('\\n', '\n');
  checkKey(vendorId, `the DKIM key in ${where}`, pem, 'rsa');
  const key = createPrivateKey({ key: pem, format: 'pem' });
  if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < 1024) {
    throw new VendorSecretError(vendorId, `the DKIM key in ${where} is shorter than 1024 bits (RFC 8301)`);
  }
  return key.export({ type: 'pkcs8', format: 'pem' }) as string;
}

/**
 * `tlsCa` of an smtp vendor: one or more CA certificates, PEM, each of which must parse as X.509,
 * so a wrong file fails at boot (or at the config PUT) instead of as a TLS error at each send.
 */
export function loadCaCertificates(
  vendorId: string,
  reference: SecretReference,
  source: SecretSource = PROCESS_SECRETS,
): string {
  const { text, where } = readSecret(vendorId, 'tlsCa', reference, source);
  const pem = text.includes('\n') ? text : text.replaceAll('\\n', '\n');
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) {
    throw new VendorSecretError(vendorId, `${where} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  }
  for (const block of blocks) {
    try {
      new X509Certificate(block);
    } catch {
      throw new VendorSecretError(vendorId, `${where} holds a certificate that does not parse as X.509`);
    }
  }
  return blocks.join('\n');
}

function isControlCharacter(char: string): boolean {
  const code = char.charCodeAt(0);
  return code < 0x20 || code === 0x7f;
}
