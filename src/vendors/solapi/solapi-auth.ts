import { createHmac, randomFillSync } from 'node:crypto';

/**
 * SOLAPI's API-key authentication, one header per call (solapi/solapi-nodejs
 * src/lib/authenticator.ts; SOLAPI docs authentication/api-key.md):
 *
 *   Authorization: HMAC-SHA256 apiKey=<key>, date=<ISO 8601>, salt=<random>, signature=<hex>
 *
 * signature = hex(HMAC-SHA256(key: API secret, data: date + salt)): hex, not base64. SOLAPI refuses
 * a date more than 15 minutes off its clock (RequestTimeTooSkewed) and a signature it has already
 * seen within 15 minutes (DuplicatedSignature), so every call gets a fresh salt.
 */
export interface SolapiAuthParts {
  readonly apiKey: string;
  readonly date: string;
  readonly salt: string;
  readonly signature: string;
}

/** The alphabet and length the official SDK draws its salt from (authenticator.ts genCustomText). */
const SALT_ALPHABET = '1234567890abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const SALT_LENGTH = 32;

/** hex(HMAC-SHA256(apiSecret, date + salt)). */
export function solapiSignature(apiSecret: string, date: string, salt: string): string {
  return createHmac('sha256', apiSecret)
    .update(date + salt)
    .digest('hex');
}

/** The header value for these parts, in the order and spacing the SDK writes it. */
export function formatSolapiAuthorization(parts: SolapiAuthParts): string {
  return `HMAC-SHA256 apiKey=${parts.apiKey}, date=${parts.date}, salt=${parts.salt}, signature=${parts.signature}`;
}

/**
 * Random bytes for salts, drawn 4 KiB at a time: one getrandom call per 128 salts. One
 * `randomBytes(32)` per SOLAPI call was 0.6% of a worker's CPU in the bench's one-call drain.
 */
const saltPool = Buffer.alloc(SALT_LENGTH * 128);
let saltPoolOffset = saltPool.length;

/** A fresh 32-character alphanumeric salt. */
export function solapiSalt(): string {
  if (saltPoolOffset + SALT_LENGTH > saltPool.length) {
    randomFillSync(saltPool);
    saltPoolOffset = 0;
  }
  let salt = '';
  for (let i = saltPoolOffset; i < saltPoolOffset + SALT_LENGTH; i += 1) {
    salt += SALT_ALPHABET[saltPool[i]! % SALT_ALPHABET.length];
  }
  saltPoolOffset += SALT_LENGTH;
  return salt;
}

/** ISO 8601 in UTC to the second (`2019-07-01T00:41:48Z`, as SOLAPI's own samples write it). */
export function solapiDate(now: number): string {
  return new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The Authorization header for one call: now, a fresh salt, signed with the API secret. */
export function solapiAuthorization(apiKey: string, apiSecret: string, now: number = Date.now()): string {
  const date = solapiDate(now);
  const salt = solapiSalt();
  return formatSolapiAuthorization({ apiKey, date, salt, signature: solapiSignature(apiSecret, date, salt) });
}

/**
 * Reads an Authorization header back into its parts (the simulator's side), or undefined when it
 * is not of the form above. `algorithm` is HMAC-SHA256 or HMAC-MD5 (SOLAPI takes both).
 */
export function parseSolapiAuthorization(
  header: string | undefined,
): (SolapiAuthParts & { readonly algorithm: string }) | undefined {
  const match = /^(HMAC-SHA256|HMAC-MD5)\s+(.+)$/.exec(header?.trim() ?? '');
  if (match === null) return undefined;
  const fields = new Map<string, string>();
  for (const pair of match[2]!.split(',')) {
    const at = pair.indexOf('=');
    if (at <= 0) return undefined;
    fields.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
  }
  const apiKey = fields.get('apiKey');
  const date = fields.get('date');
  const salt = fields.get('salt');
  const signature = fields.get('signature');
  if (!apiKey || !date || !salt || !signature) return undefined;
  return { algorithm: match[1]!, apiKey, date, salt, signature };
}
