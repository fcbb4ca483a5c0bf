import { createPrivateKey, type KeyObject } from 'node:crypto';

/**
 * A Google service account, read from its JSON key file (the fields FCM's OAuth grant needs).
 * The private key is held as a KeyObject: printing, logging or JSON-serialising the account never
 * shows key material.
 */
export interface ServiceAccount {
  readonly projectId: string;
  readonly clientEmail: string;
  /** The key's id (`private_key_id`), sent as the assertion's `kid`. */
  readonly privateKeyId: string | undefined;
  readonly privateKey: KeyObject;
  /** `token_uri` of the key file; Google's token endpoint when absent. */
  readonly tokenUri: string | undefined;
}

/** A key file that cannot be used; the message names the field, never the key's content. */
export class ServiceAccountError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServiceAccountError';
  }
}

/**
 * Parses the content of a service-account key file (as downloaded from the Google Cloud console:
 * `{"type":"service_account","project_id","private_key_id","private_key","client_email",
 * "token_uri",...}`). `source` says where it came from (a path, an env var name) for the error.
 * Every problem is listed at once.
 */
export function parseServiceAccount(text: string, source = 'the service account'): ServiceAccount {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // The parser's message quotes the text, which may hold the key: not repeated here.
    throw new ServiceAccountError(`${source} is not valid JSON`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ServiceAccountError(`${source} must be a JSON object`);
  }
  const fields = json as Record<string, unknown>;
  const problems: string[] = [];
  if (fields.type !== 'service_account') problems.push('type must be "service_account"');
  for (const name of ['project_id', 'client_email', 'private_key']) {
    if (typeof fields[name] !== 'string' || fields[name] === '')
      problems.push(`${name} must be a non-empty string`);
  }
  for (const name of ['private_key_id', 'token_uri']) {
    if (fields[name] !== undefined && typeof fields[name] !== 'string')
      problems.push(`${name} must be a string`);
  }
  if (typeof fields.token_uri === 'string' && !/^https?:\/\//.test(fields.token_uri)) {
    problems.push('token_uri must be an http(s) URL');
  }
  const privateKey =
    typeof fields.private_key === 'string' ? readRsaKey(fields.private_key, problems) : undefined;
  if (problems.length > 0 || privateKey === undefined) {
    throw new ServiceAccountError(`${source} is not a usable service account key: ${problems.join('; ')}`);
  }
  return Object.freeze({
    projectId: fields.project_id as string,
    clientEmail: fields.client_email as string,
    privateKeyId: fields.private_key_id as string | undefined,
    privateKey,
    tokenUri: fields.token_uri as string | undefined,
  });
}

function readRsaKey(pem: string, problems: string[]): KeyObject | undefined {
  if (pem === '') return undefined;
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    problems.push('private_key is not a readable PEM private key');
    return undefined;
  }
  if (key.asymmetricKeyType !== 'rsa') {
    problems.push(`private_key must be an RSA key (RS256), not ${key.asymmetricKeyType}`);
    return undefined;
  }
  return key;
}
