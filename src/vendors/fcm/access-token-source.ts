import { HeraldError } from '../../core/domain/errors.ts';
import { signAssertion } from './oauth-assertion.ts';
import type { ServiceAccount } from './service-account.ts';

export interface AccessTokenSourceOptions {
  readonly account: ServiceAccount;
  readonly tokenUrl: string;
  /** Epoch ms clock (tests). */
  readonly now?: () => number;
  /** Time limit of one token request, ms (default 15 s, firebase-admin's). */
  readonly requestTimeoutMs?: number;
}

interface CachedToken {
  readonly value: string;
  readonly expiresAtMs: number;
  /** When to start replacing it: ahead of expiry, so no send waits for a refresh. */
  readonly refreshAtMs: number;
}

/** Refresh this long before expiry (Google's tokens live an hour), or at half life if shorter. */
const REFRESH_AHEAD_MS = 5 * 60_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;
const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/**
 * OAuth2 access tokens for one service account at one token endpoint. The token is cached and
 * replaced ahead of its expiry in the background (sends keep using the old one meanwhile); at most
 * one token request is in flight however many sends ask (single flight); a token FCM refused
 * (401) is dropped once, however many sends saw it refused.
 */
export class AccessTokenSource {
  readonly account: ServiceAccount;
  readonly #options: AccessTokenSourceOptions;
  readonly #now: () => number;
  #current: CachedToken | undefined;
  #pending: Promise<CachedToken> | undefined;

  constructor(options: AccessTokenSourceOptions) {
    this.#options = options;
    this.account = options.account;
    this.#now = options.now ?? Date.now;
  }

  /** A live access token; waits (within `signal`) only when none is cached or the cached one expired. */
  async token(signal: AbortSignal): Promise<string> {
    const now = this.#now();
    const current = this.#current;
    if (current !== undefined && now < current.expiresAtMs) {
      if (now >= current.refreshAtMs) this.#refresh().catch(() => {});
      return current.value;
    }
    return (await abortable(this.#refresh(), signal)).value;
  }

  /** Forgets `token` if it is still the cached one (FCM answered 401 to it). */
  invalidate(token: string): void {
    if (this.#current?.value === token) this.#current = undefined;
  }

  #refresh(): Promise<CachedToken> {
    this.#pending ??= this.#fetch().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  async #fetch(): Promise<CachedToken> {
    const { account, tokenUrl } = this.#options;
    const startedAt = this.#now();
    const assertion = await signAssertion(account, tokenUrl, Math.floor(startedAt / 1_000));
    const response = await fetch(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: JWT_BEARER_GRANT, assertion }).toString(),
      signal: AbortSignal.timeout(this.#options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS),
    }).catch((cause: unknown) => {
      throw tokenError('TOKEN_ENDPOINT_UNREACHABLE', `The token endpoint could not be reached`, cause);
    });
    const body = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    const accessToken = body?.access_token;
    const expiresIn = body?.expires_in;
    if (!response.ok || typeof accessToken !== 'string' || typeof expiresIn !== 'number') {
      const code = typeof body?.error === 'string' ? body.error : `HTTP_${response.status}`;
      throw tokenError(code, `The token endpoint refused the grant of ${account.clientEmail} (${code})`);
    }
    const lifetimeMs = expiresIn * 1_000;
    const token: CachedToken = {
      value: accessToken,
      expiresAtMs: startedAt + lifetimeMs,
      refreshAtMs: startedAt + lifetimeMs - Math.min(REFRESH_AHEAD_MS, lifetimeMs / 2),
    };
    this.#current = token;
    return token;
  }
}

/**
 * No access token means no send through this vendor at all: a fault of the vendor's setup or
 * reachability, retryable elsewhere, counted against its breaker. The error says which grant
 * failed, never the assertion or a token.
 */
function tokenError(vendorCode: string, message: string, cause?: unknown): HeraldError {
  return new HeraldError('HERALD_VENDOR_UNAVAILABLE', message, {
    retryable: true,
    vendorFault: true,
    vendorCode,
    cause,
  });
}

/** The shared refresh goes on when one caller gives up; only that caller stops waiting. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
