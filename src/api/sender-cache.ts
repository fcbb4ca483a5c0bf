import type { EmailSender, KakaoChannel, SenderNumber, SenderRegistry } from '../ports/sender-registry.ts';

export interface SenderCacheOptions {
  /** How long a client's list is served without asking the registry (a PUT elsewhere shows within it). */
  readonly ttlMs?: number;
  /** How long after the registry last answered a list may be served while the registry fails. */
  readonly staleIfErrorMs?: number;
  readonly maxClients?: number;
  readonly now?: () => number;
}

/** What the submission reads, cached, and how a PUT in this process makes its change show at once. */
export interface SenderCache
  extends Pick<SenderRegistry, 'listSenderNumbers' | 'listKakaoChannels' | 'listEmailSenders'> {
  /** Drops the client's cached lists (after a PUT through this process). */
  forget(clientId: string): void;
}

/** After a failed read, a client with a stale answer asks the registry again at most this often. */
const REGISTRY_RETRY_MS = 1_000;

/**
 * Every SMS/LMS/MMS, AlimTalk and e-mail request reads its client's sender numbers (Kakao channels,
 * e-mail senders):
 * one registry round trip per request would make the registry the API's throughput limit, so the
 * lists are cached per client for a few seconds (a PUT through another process shows within
 * `ttlMs`; through this one, at once). Like the API-key cache, a failing registry does not stop
 * the API: a list it answered within `staleIfErrorMs` is served stale, one caller per client per
 * second tries the registry again, and the others do not wait on it.
 */
export function createSenderCache(
  registry: Pick<SenderRegistry, 'listSenderNumbers' | 'listKakaoChannels' | 'listEmailSenders'>,
  options: SenderCacheOptions = {},
): SenderCache {
  const settings = {
    ttlMs: options.ttlMs ?? 5_000,
    staleIfErrorMs: options.staleIfErrorMs ?? 10 * 60_000,
    maxEntries: options.maxClients ?? 10_000,
    now: options.now ?? Date.now,
  };
  const numbers = staleIfErrorCache((clientId) => registry.listSenderNumbers(clientId), settings);
  const channels = staleIfErrorCache((clientId) => registry.listKakaoChannels(clientId), settings);
  const emailSenders = staleIfErrorCache((clientId) => registry.listEmailSenders(clientId), settings);
  return {
    listSenderNumbers: async (clientId): Promise<SenderNumber[]> => [...(await numbers.get(clientId))],
    listKakaoChannels: async (clientId): Promise<KakaoChannel[]> => [...(await channels.get(clientId))],
    listEmailSenders: async (clientId): Promise<EmailSender[]> => [...(await emailSenders.get(clientId))],
    forget(clientId) {
      numbers.forget(clientId);
      channels.forget(clientId);
      emailSenders.forget(clientId);
    },
  };
}

interface Entry<T> {
  /** The registry's last answer and when it was asked. */
  answer: { readonly value: T; readonly askedAt: number } | undefined;
  /** Set when the last read failed: until then, callers that can be served stale do not ask. */
  retryAt: number | undefined;
  inFlight: Promise<T> | undefined;
}

function staleIfErrorCache<T>(
  load: (key: string) => Promise<T>,
  options: { ttlMs: number; staleIfErrorMs: number; maxEntries: number; now: () => number },
): { get(key: string): Promise<T>; forget(key: string): void } {
  const { ttlMs, staleIfErrorMs, maxEntries, now } = options;
  const cache = new Map<string, Entry<T>>();

  function ask(key: string, entry: Entry<T>): Promise<T> {
    const askedAt = now();
    // Re-inserting keeps Map order = order of last read, so eviction drops the longest-unread client.
    cache.delete(key);
    cache.set(key, entry);
    if (cache.size > maxEntries) cache.delete(cache.keys().next().value!);
    const inFlight = Promise.resolve().then(() => load(key));
    entry.inFlight = inFlight;
    inFlight.then(
      (value) => {
        entry.answer = { value, askedAt };
        entry.retryAt = undefined;
        entry.inFlight = undefined;
      },
      () => {
        entry.retryAt = now() + REGISTRY_RETRY_MS;
        entry.inFlight = undefined;
        if (!entry.answer && cache.get(key) === entry) cache.delete(key);
      },
    );
    return inFlight;
  }

  return {
    async get(key) {
      const t = now();
      const entry = cache.get(key) ?? { answer: undefined, retryAt: undefined, inFlight: undefined };
      if (entry.answer && t < entry.answer.askedAt + ttlMs) return entry.answer.value;
      const stale = entry.answer && t - entry.answer.askedAt <= staleIfErrorMs ? entry.answer : undefined;
      if (stale && entry.retryAt !== undefined && (entry.inFlight || t < entry.retryAt)) return stale.value;
      try {
        return await (entry.inFlight ?? ask(key, entry));
      } catch (error) {
        if (stale) return stale.value;
        throw error;
      }
    },
    forget(key) {
      cache.delete(key);
    },
  };
}
