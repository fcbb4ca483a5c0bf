import { createHash, randomBytes } from 'node:crypto';

/**
 * API keys: `hk_` + 32 random bytes in base64url. The prefix lets secret scanners and people
 * recognise a leaked herald key; the store keeps only the hash.
 */
export const API_KEY_PREFIX = 'hk_';
const API_KEY_RANDOM_BYTES = 32;

export function generateApiKey(): string {
  return `${API_KEY_PREFIX}${randomBytes(API_KEY_RANDOM_BYTES).toString('base64url')}`;
}

/**
 * SHA-256 hex of the key. A fast hash is right here, unlike for passwords: a key has 256 bits of
 * randomness, so there is no dictionary to try and brute force is hopeless at any hashing speed,
 * while a slow hash (bcrypt, scrypt) would cost tens of milliseconds on every API call.
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
