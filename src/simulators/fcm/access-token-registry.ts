import { randomBytes } from 'node:crypto';

/** An OAuth2 access token the simulator's token endpoint issued. */
export interface IssuedAccessToken {
  /** The service account it was issued to (the assertion's `iss`). */
  readonly clientEmail: string;
  /** The scopes granted (the assertion's `scope`, split on spaces). */
  readonly scopes: readonly string[];
  readonly expiresAtMs: number;
}

/**
 * The access tokens the simulated Google token endpoint issued: opaque strings bound to a service
 * account, valid until they expire or a test revokes them (revokeAccessTokens), which is how a
 * test makes FCM answer 401 to a sender holding a cached token.
 *
 * Memory: one entry per grant; a sender asks once an hour per service account, so it stays tiny.
 */
export class AccessTokenRegistry {
  readonly #tokens = new Map<string, IssuedAccessToken>();
  /** client_email -> grants issued so far (tests count refreshes with it). */
  readonly #grants = new Map<string, number>();

  issue(clientEmail: string, scopes: readonly string[], ttlSeconds: number, nowMs: number): string {
    // Google's tokens start with ya29.; the rest is opaque to clients.
    const token = `ya29.sim-${randomBytes(24).toString('base64url')}`;
    this.#tokens.set(token, { clientEmail, scopes, expiresAtMs: nowMs + ttlSeconds * 1_000 });
    this.#grants.set(clientEmail, (this.#grants.get(clientEmail) ?? 0) + 1);
    return token;
  }

  /** The live grant behind `token`, or undefined when unknown, revoked or expired. */
  lookup(token: string, nowMs: number): IssuedAccessToken | undefined {
    const issued = this.#tokens.get(token);
    if (issued === undefined || issued.expiresAtMs > nowMs) return issued;
    this.#tokens.delete(token);
    return undefined;
  }

  /** Revokes every token issued to `clientEmail` so far; returns how many were live. */
  revokeFor(clientEmail: string): number {
    let revoked = 0;
    for (const [token, issued] of this.#tokens) {
      if (issued.clientEmail !== clientEmail) continue;
      this.#tokens.delete(token);
      revoked += 1;
    }
    return revoked;
  }

  /** How many tokens were issued to `clientEmail` since the simulator started. */
  grantsFor(clientEmail: string): number {
    return this.#grants.get(clientEmail) ?? 0;
  }
}
