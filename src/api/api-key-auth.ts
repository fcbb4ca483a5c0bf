import { hashApiKey } from '../core/auth/api-keys.ts';
import { HeraldError, isHeraldError } from '../core/domain/errors.ts';
import type { ApiKeyRecord, ConfigStore } from '../ports/config-store.ts';

/**
 * Bearer-key authentication with a short cache. Every API call needs its key checked, and a store
 * round-trip per call would make the config store the throughput limit; a few seconds of cache
 * bounds that to one lookup per key per TTL. The price: a revoked key keeps working for at most
 * `ttlMs`. Unknown keys are cached too (shorter), so a flood of bad keys cannot hammer the store.
 * Entries are keyed by the key's hash: the cache never holds a usable key.
 */
export interface ApiKeyAuthenticatorOptions {
  readonly ttlMs?: number;
  readonly unknownKeyTtlMs?: number;
  readonly maxEntries?: number;
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
  const ttlMs = options.ttlMs ?? 10_000;
  const unknownKeyTtlMs = options.unknownKeyTtlMs ?? 1_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { record: Promise<ApiKeyRecord | undefined>; until: number }>();

  function lookup(keyHash: string): Promise<ApiKeyRecord | undefined> {
    const cached = cache.get(keyHash);
    if (cached && cached.until > now()) {
      return cached.record;
    }
    cache.delete(keyHash);
    // The promise itself is cached, so concurrent requests with one key share one lookup.
    const record = Promise.resolve().then(() => store.findApiKeyByHash(keyHash));
    const entry = { record, until: now() + ttlMs };
    cache.set(keyHash, entry);
    if (cache.size > maxEntries) {
      cache.delete(cache.keys().next().value!); // oldest entry: Map keeps insertion order
    }
    record.then(
      (found) => {
        if (!found) entry.until = Math.min(entry.until, now() + unknownKeyTtlMs);
      },
      () => {
        // A store failure is not an answer: ask again next time.
        if (cache.get(keyHash) === entry) cache.delete(keyHash);
      },
    );
    return record;
  }

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
