import { createHmac } from 'node:crypto';
import type { Channel } from '../domain/channel.ts';

/**
 * Recipients are personal data: history keeps them masked (for people reading it) and as a keyed
 * hash (for lookups such as "every message to this number"), never in clear.
 */

/**
 * Development default of the recipient-hash secret. It is public (it is in this file), so hashes
 * made with it can be reversed by brute force over the phone-number space: production must pass its
 * own secret from configuration.
 */
export const DEV_RECIPIENT_HASH_SECRET = 'herald-dev-recipient-hash-secret-not-for-production';

/**
 * HMAC-SHA256 (hex) of the normalised recipient. Keyed, because a plain hash of a phone number is
 * reversed in minutes: Korean mobile numbers are only ~10^8 candidates.
 */
export function hashRecipient(to: string, secret: string = DEV_RECIPIENT_HASH_SECRET): string {
  return createHmac('sha256', secret).update(to, 'utf8').digest('hex');
}

/** `010****5678`, `k***@example.com`, `dGhpcy****` (first 6 characters of a device token). */
export function maskRecipient(channel: Channel, to: string): string {
  switch (channel) {
    case 'push':
      return `${to.slice(0, 6)}****`;
    case 'email':
      return maskEmail(to);
    case 'sms':
    case 'lms':
    case 'mms':
    case 'alimtalk':
    case 'vms':
      return maskPhone(to);
  }
}

/**
 * A push user as history shows it: `user:ab****` (the first 2 characters of the client's user id).
 * User ids are the client's own identifiers, often an account number or an e-mail address.
 */
export function maskUserId(userId: string): string {
  // By code point, so a user id starting with an emoji is not cut in half.
  return `user:${Array.from(userId.slice(0, 4)).slice(0, 2).join('')}****`;
}

/** Keeps the prefix (carrier or area) and the last 4 digits, as Korean receipts print numbers. */
function maskPhone(phone: string): string {
  if (phone.length < 8) {
    return `${'*'.repeat(Math.max(phone.length - 2, 0))}${phone.slice(-2)}`;
  }
  return `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}`;
}

function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  if (at <= 0) {
    return '***';
  }
  return `${address[0]}***${address.slice(at)}`;
}
