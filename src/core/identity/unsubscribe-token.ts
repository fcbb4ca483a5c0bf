import { createHmac, timingSafeEqual } from 'node:crypto';
import { optOutEntry } from '../content/ad-opt-out.ts';

/**
 * The token of an ad e-mail's unsubscribe link (`/v1/unsubscribe/<token>`, RFC 8058 one-click).
 * It names one opt-out-list entry, the client's and the address's, and nothing else:
 *
 *   token   = base64url(payload) "." base64url(HMAC-SHA256(secret, payload))
 *   payload = 0x01 (version) | 32 bytes: the address's opt-out hash | the client id, UTF-8
 *
 * The opt-out hash is the entry `POST /v1/opt-outs` makes for that address (HMAC with the recipient
 * hash secret of the case-folded address, optOutHashes), so the link carries no address in clear and
 * the endpoint needs no look-up to honour it. Only herald can sign: no one can opt out an address
 * herald did not mail for that client, and a token altered in any byte, or re-signed for another
 * client, fails verification. Tokens do not expire (a person may unsubscribe from an old mail);
 * changing HERALD_UNSUBSCRIBE_SECRET invalidates every link already sent.
 */
export interface UnsubscribeTarget {
  readonly clientId: string;
  /** The opt-out list's key of the address, hex (ad-opt-out.ts); the scope is always `email`. */
  readonly recipientHash: string;
}

const VERSION = 1;
const HASH_BYTES = 32;
/** Client ids are short; this bounds the work a forged token can cause. */
const MAX_CLIENT_ID_BYTES = 256;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export function signUnsubscribeToken(target: UnsubscribeTarget, secret: string): string {
  const client = Buffer.from(target.clientId, 'utf8');
  const payload = Buffer.concat([Buffer.of(VERSION), Buffer.from(target.recipientHash, 'hex'), client]);
  return `${payload.toString('base64url')}.${mac(payload, secret).toString('base64url')}`;
}

/** The target of a token herald signed with `secret`, or undefined for anything else. */
export function verifyUnsubscribeToken(token: string, secret: string): UnsubscribeTarget | undefined {
  const [encoded, signature, ...rest] = token.split('.');
  if (rest.length > 0 || !encoded || !signature || !BASE64URL.test(encoded) || !BASE64URL.test(signature)) {
    return undefined;
  }
  const payload = Buffer.from(encoded, 'base64url');
  const given = Buffer.from(signature, 'base64url');
  // Only the canonical spelling: a changed padding bit in the last character would decode the same.
  if (payload.toString('base64url') !== encoded || given.toString('base64url') !== signature)
    return undefined;
  const expected = mac(payload, secret);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  if (payload[0] !== VERSION || payload.length <= 1 + HASH_BYTES) return undefined;
  if (payload.length > 1 + HASH_BYTES + MAX_CLIENT_ID_BYTES) return undefined;
  try {
    const clientId = strictUtf8.decode(payload.subarray(1 + HASH_BYTES));
    return { clientId, recipientHash: payload.subarray(1, 1 + HASH_BYTES).toString('hex') };
  } catch {
    return undefined;
  }
}

function mac(payload: Buffer, secret: string): Buffer {
  return createHmac('sha256', secret).update(payload).digest();
}

/** The path of the unsubscribe endpoint, as the API registers it (under /v1). */
export const UNSUBSCRIBE_PATH = '/v1/unsubscribe/';

/**
 * Makes the unsubscribe link of one ad e-mail, where the worker builds the message. `baseUrl` is
 * read at each call: the embedded default only knows its own address once it listens.
 */
export interface UnsubscribeLinks {
  urlFor(clientId: string, address: string): string;
}

export function createUnsubscribeLinks(options: {
  readonly secret: string;
  readonly recipientHashSecret: string;
  readonly baseUrl: () => string;
}): UnsubscribeLinks {
  return {
    urlFor(clientId, address) {
      // The same entry POST /v1/opt-outs makes for this address (normalised, case-folded).
      const entry = optOutEntry('email', address, options.recipientHashSecret);
      if (!entry.ok) throw entry.error;
      const token = signUnsubscribeToken(
        { clientId, recipientHash: entry.value.recipientHash },
        options.secret,
      );
      return `${options.baseUrl().replace(/\/+$/, '')}${UNSUBSCRIBE_PATH}${token}`;
    },
  };
}

/** Development default of HERALD_UNSUBSCRIBE_SECRET: public, so production must set its own. */
export const DEV_UNSUBSCRIBE_SECRET = 'herald-dev-unsubscribe-secret-not-for-production';
