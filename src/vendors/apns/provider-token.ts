import type { KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';

/** Apple: refresh the provider token no more than once every 20 minutes... */
export const MIN_RENEWAL_INTERVAL_MS = 20 * 60_000;
/** ...and no less than once every 60; a token with an `iat` over an hour old gets 403 ExpiredProviderToken. */
export const MAX_RENEWAL_INTERVAL_MS = 50 * 60_000;
/** In the middle of the window: far from both Apple limits, and from clock skew either way. */
export const DEFAULT_RENEW_AFTER_MS = 40 * 60_000;

export interface ProviderTokenOptions {
  /** The 10-character Key ID of the .p8 key (JWT header `kid`). */
  readonly keyId: string;
  /** The 10-character Team ID (JWT claim `iss`). */
  readonly teamId: string;
  /** The .p8 key (see p8-key.ts). */
  readonly privateKey: KeyObject;
  /** Age at which the token is replaced on its next use, ms; within 20..50 min. */
  readonly renewAfterMs?: number;
  /** Epoch ms; injectable so tests can prove the renewal window without waiting an hour. */
  readonly now?: () => number;
}

interface SignedToken {
  readonly jwt: string;
  readonly issuedAtMs: number;
}

/**
 * The APNs provider token of one key (token-based auth): an ES256 JWT, header {alg, kid}, claims
 * {iss: team id, iat}. One signer per key, shared by every request and connection of the vendor:
 * APNs answers 429 TooManyProviderTokenUpdates to a client that changes its token more often than
 * every 20 minutes, so the token is reused until it is `renewAfterMs` old, and signing is
 * single-flight (concurrent callers wait for the same new token instead of signing their own).
 */
export class ProviderTokenSigner {
  readonly #keyId: string;
  readonly #teamId: string;
  readonly #privateKey: KeyObject;
  readonly #renewAfterMs: number;
  readonly #now: () => number;
  #token: SignedToken | undefined;
  #signing: Promise<SignedToken> | undefined;
  /** When a rejected token was last replaced early (see renewAfterRejection). */
  #lastEarlyRenewalMs: number | undefined;

  constructor(options: ProviderTokenOptions) {
    const renewAfterMs = options.renewAfterMs ?? DEFAULT_RENEW_AFTER_MS;
    if (!(renewAfterMs >= MIN_RENEWAL_INTERVAL_MS && renewAfterMs <= MAX_RENEWAL_INTERVAL_MS)) {
      throw new RangeError(
        `renewAfterMs must be within ${MIN_RENEWAL_INTERVAL_MS}..${MAX_RENEWAL_INTERVAL_MS} ms (20..50 min), got ${renewAfterMs}`,
      );
    }
    this.#keyId = options.keyId;
    this.#teamId = options.teamId;
    this.#privateKey = options.privateKey;
    this.#renewAfterMs = renewAfterMs;
    this.#now = options.now ?? Date.now;
  }

  /** The token to send now: the cached one, or a new one once the cached one is `renewAfterMs` old. */
  async current(): Promise<string> {
    if (this.#signing !== undefined) return (await this.#signing).jwt;
    const token = this.#token;
    if (token !== undefined && this.#now() - token.issuedAtMs < this.#renewAfterMs) return token.jwt;
    return (await this.#sign()).jwt;
  }

  /**
   * APNs refused `rejected` (403 ExpiredProviderToken or InvalidProviderToken): the token to retry
   * with, or undefined when no retry should be made.
   *
   * - another caller already replaced `rejected`: the newer token (concurrent 403s renew once);
   * - otherwise a new token, early, at most once every 20 minutes: a second early renewal that
   *   soon means the new token was refused too (a wrong key, a skewed clock), and renewing again
   *   would only earn TooManyProviderTokenUpdates. The caller then reports the vendor unhealthy.
   */
  async renewAfterRejection(rejected: string): Promise<string | undefined> {
    if (this.#signing !== undefined) return (await this.#signing).jwt;
    const token = this.#token;
    if (token !== undefined && token.jwt !== rejected) return token.jwt;
    const now = this.#now();
    const last = this.#lastEarlyRenewalMs;
    if (last !== undefined && now - last < MIN_RENEWAL_INTERVAL_MS) return undefined;
    this.#lastEarlyRenewalMs = now;
    return (await this.#sign()).jwt;
  }

  #sign(): Promise<SignedToken> {
    const issuedAtMs = this.#now();
    const signing = new SignJWT({ iss: this.#teamId, iat: Math.floor(issuedAtMs / 1_000) })
      .setProtectedHeader({ alg: 'ES256', kid: this.#keyId })
      .sign(this.#privateKey)
      .then((jwt) => {
        this.#token = { jwt, issuedAtMs };
        return this.#token;
      })
      .finally(() => {
        this.#signing = undefined;
      });
    this.#signing = signing;
    return signing;
  }
}
