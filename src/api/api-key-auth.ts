import { hashApiKey } from '../core/auth/api-keys.ts';
import { HeraldError, isHeraldError } from '../core/domain/errors.ts';
import type { ApiKeyRecord, ConfigStore } from '../ports/config-store.ts';
import { createApiKeyCache } from './api-key-cache.ts';

/**
 * Bearer-key authentication with a short cache. Every API call needs its key checked, and a store
 * round-trip per call would make the config store the throughput limit; a few seconds of cache
 * bounds that to one lookup per key per TTL. The price: a revoked key keeps working for at most
 * `ttlMs`. Unknown keys are cached too (shorter), so a flood of bad keys cannot hammer the store.
 * Entries are keyed by the key's hash: the cache never holds a usable key. If the store fails,
 * a key it let in within `staleIfErrorMs` keeps working on its last-known record (stale-if-error,
 * see api-key-cache.ts), so a config-store outage does not stop the API from taking messages.
 */
export interface ApiKeyAuthenticatorOptions {
  readonly ttlMs?: number;
  readonly unknownKeyTtlMs?: number;
  readonly maxEntries?: number;
  /** How long after the store last confirmed a key it may still be served when the store fails. */
  readonly staleIfErrorMs?: number;
  readonly now?: () => number;
}

export interface ApiKeyAuthenticator {
  /** The key's record, or HERALD_UNAUTHORIZED (missing, malformed, unknown, revoked). */
  authenticate(authorization: string | undefined): Promise<ApiKeyRecord>;
}

const BEARER = /^Bearer[ \t]+([^\s]{1,512})[ \t]*$/i;

export function createApiKeyAuthenticator(
  store: Pick<ConfigStore, 'findApiKeyByHash'>,
  options: ApiKeyAuthenticatorOptions = {},
): ApiKeyAuthenticator {
  const lookup = createApiKeyCache(store, {
    ttlMs: options.ttlMs ?? 10_000,
    unknownKeyTtlMs: options.unknownKeyTtlMs ?? 1_000,
    staleIfErrorMs: options.staleIfErrorMs ?? 10 * 60_000,
    maxEntries: options.maxEntries ?? 10_000,
    now: options.now ?? Date.now,
  });

  return {
    async authenticate(authorization) {
      const match = authorization === undefined ? null : BEARER.exec(authorization);
      if (!match) {
        throw new HeraldError('HERALD_UNAUTHORIZED', 'send your API key as "Authorization: Bearer <key>"', {
          field: 'Authorization',
        });
      }
      let record: ApiKeyRecord | undefined;
      try {
        record = await lookup(hashApiKey(match[1]!));
      } catch (error) {
        throw isHeraldError(error)
          ? error
          : new HeraldError(
              'HERALD_UNAVAILABLE',
              'cannot check the API key right now; retry after Retry-After',
              {
                retryable: true,
                retryAfterMs: 1_000,
                cause: error,
              },
            );
      }
      if (!record) {
        throw new HeraldError('HERALD_UNAUTHORIZED', 'the API key is not known', { field: 'Authorization' });
      }
      if (record.revokedAt !== null) {
        throw new HeraldError('HERALD_UNAUTHORIZED', 'the API key was revoked', { field: 'Authorization' });
      }
      return record;
    },
  };
}
