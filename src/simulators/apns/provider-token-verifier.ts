import type { KeyObject } from 'node:crypto';
import { compactVerify, decodeProtectedHeader } from 'jose';
import type { ApnsTrust } from '../push-trust.ts';

/** APNs refuses a provider token whose `iat` is more than an hour old. */
export const PROVIDER_TOKEN_MAX_AGE_MS = 60 * 60_000;
/** Distinct tokens remembered as verified; a client renews every 20-60 min, so a handful is plenty. */
const CACHE_LIMIT = 1_024;

export type ProviderTokenVerdict =
  | { readonly ok: true; readonly token: string }
  | {
      readonly ok: false;
      readonly reason: 'MissingProviderToken' | 'InvalidProviderToken' | 'ExpiredProviderToken';
    };

type Verified = { readonly valid: true; readonly issuedAtMs: number } | { readonly valid: false };

/**
 * Checks `authorization: bearer <JWT>` as APNs does for token-based auth: an ES256 JWS whose header
 * names the trusted key (`kid`), signed by it, with claims `iss` = team id and `iat` at most an
 * hour old. The signature of a token is checked once (APNs too validates a token per connection,
 * not per request); its age on every use. An `iat` in the future is let through: Apple documents
 * no reason for it.
 */
export class ProviderTokenVerifier {
  readonly #trust: ApnsTrust;
  readonly #publicKey: KeyObject;
  readonly #verified = new Map<string, Promise<Verified>>();

  /** `publicKey`: the trust's key, parsed. */
  constructor(trust: ApnsTrust, publicKey: KeyObject) {
    this.#trust = trust;
    this.#publicKey = publicKey;
  }

  async verify(authorization: string | string[] | undefined, nowMs: number): Promise<ProviderTokenVerdict> {
    const header = Array.isArray(authorization) ? authorization[0] : authorization;
    const token = /^bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
    if (token === undefined) return { ok: false, reason: 'MissingProviderToken' };
    let verified = this.#verified.get(token);
    if (verified === undefined) {
      verified = this.#check(token);
      if (this.#verified.size >= CACHE_LIMIT) this.#verified.delete(this.#verified.keys().next().value!);
      this.#verified.set(token, verified);
    }
    const result = await verified;
    if (!result.valid) return { ok: false, reason: 'InvalidProviderToken' };
    if (nowMs - result.issuedAtMs > PROVIDER_TOKEN_MAX_AGE_MS) {
      return { ok: false, reason: 'ExpiredProviderToken' };
    }
    return { ok: true, token };
  }

  async #check(token: string): Promise<Verified> {
    try {
      const header = decodeProtectedHeader(token);
      if (header.alg !== 'ES256' || header.kid !== this.#trust.keyId) return { valid: false };
      const { payload } = await compactVerify(token, this.#publicKey, { algorithms: ['ES256'] });
      const claims: unknown = JSON.parse(new TextDecoder().decode(payload));
      const { iss, iat } = (claims ?? {}) as { iss?: unknown; iat?: unknown };
      if (iss !== this.#trust.teamId || !Number.isSafeInteger(iat)) return { valid: false };
      return { valid: true, issuedAtMs: (iat as number) * 1_000 };
    } catch {
      return { valid: false };
    }
  }
}
