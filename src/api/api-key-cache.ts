import type { ApiKeyRecord, ConfigStore } from '../ports/config-store.ts';

export interface ApiKeyCacheOptions {
  readonly ttlMs: number;
  readonly unknownKeyTtlMs: number;
  readonly staleIfErrorMs: number;
  readonly maxEntries: number;
  readonly now: () => number;
}

/** After a failed lookup, a key with a stale answer asks the store again at most this often. */
const STORE_RETRY_MS = 1_000;

/** What the store last said about one key hash, and what is being asked of it now. */
interface Entry {
  /** The store's last answer (undefined: unknown key); served as is until `freshUntil`. */
  answer: ApiKeyRecord | undefined;
  freshUntil: number;
  /** The last answer that let the key in, and when it was asked: the only answer served stale. */
  usable: { readonly record: ApiKeyRecord; readonly askedAt: number } | undefined;
  /** Set when the last lookup failed: until then, callers that can be served stale do not ask. */
  retryAt: number | undefined;
  /** The lookup in flight, shared by every caller with this key. */
  inFlight: Promise<ApiKeyRecord | undefined> | undefined;
}

/**
 * Key-hash -> record lookups through a TTL cache with stale-if-error. The API must keep accepting
 * messages while the config store (PostgreSQL) is down, since Kafka is what actually takes them;
 * so when a lookup fails, a key the store let in at most `staleIfErrorMs` ago keeps its record.
 * Only found, non-revoked records are served stale: an unknown key stays refused (by the caller's
 * 503), and a key revoked during the outage works until the store answers again. While the store
 * fails, one caller per key per STORE_RETRY_MS tries it; the others get the stale record at once,
 * neither waiting for a dead store nor piling onto it.
 */
export function createApiKeyCache(
  store: Pick<ConfigStore, 'findApiKeyByHash'>,
  options: ApiKeyCacheOptions,
): (keyHash: string) => Promise<ApiKeyRecord | undefined> {
  const { ttlMs, unknownKeyTtlMs, staleIfErrorMs, maxEntries, now } = options;
  const cache = new Map<string, Entry>();

  function ask(keyHash: string, entry: Entry): Promise<ApiKeyRecord | undefined> {
    const askedAt = now();
    // Re-inserting keeps Map order = order of last lookup, so eviction drops the longest-unasked key.
    cache.delete(keyHash);
    cache.set(keyHash, entry);
    if (cache.size > maxEntries) cache.delete(cache.keys().next().value!);
    const inFlight = Promise.resolve().then(() => store.findApiKeyByHash(keyHash));
    entry.inFlight = inFlight;
    // Registered before any caller awaits `inFlight`, so callers see the entry already updated.
    inFlight.then(
      (answer) => {
        // Freshness counts from when we asked: a revoked key stops working within ttlMs.
        entry.answer = answer;
        entry.freshUntil = askedAt + (answer ? ttlMs : unknownKeyTtlMs);
        entry.usable = answer?.revokedAt === null ? { record: answer, askedAt } : undefined;
        entry.retryAt = undefined;
        entry.inFlight = undefined;
      },
      () => {
        // A failure is not an answer: the last answer stays, only the next try is put off.
        entry.retryAt = now() + STORE_RETRY_MS;
        entry.inFlight = undefined;
        // Nothing to serve stale: forget the key, so the next call asks at once (and gets 503).
        if (!entry.usable && cache.get(keyHash) === entry) cache.delete(keyHash);
      },
    );
    return inFlight;
  }

  return async (keyHash) => {
    const t = now();
    const entry = cache.get(keyHash) ?? newEntry();
    if (t < entry.freshUntil) return entry.answer;
    const stale =
      entry.usable && t - entry.usable.askedAt <= staleIfErrorMs ? entry.usable.record : undefined;
    // The store failed last time and someone is retrying it, or it is too soon to: don't wait on it.
    if (stale && entry.retryAt !== undefined && (entry.inFlight || t < entry.retryAt)) return stale;
    try {
      // Concurrent callers share the lookup in flight; if it fails, each falls back to stale.
      return await (entry.inFlight ?? ask(keyHash, entry));
    } catch (error) {
      if (stale) return stale;
      throw error;
    }
  };
}

function newEntry(): Entry {
  return { answer: undefined, freshUntil: 0, usable: undefined, retryAt: undefined, inFlight: undefined };
}
