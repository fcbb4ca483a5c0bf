import { DEFAULT_RATE_LIMITS } from '../../src/config/default-remote-config.ts';
import { REMOTE_CONFIG_BOUNDS } from '../../src/config/remote-config-bounds.ts';
import type { ClientRateLimit, RemoteConfigDocument } from '../../src/core/domain/remote-config.ts';
import { type TestHerald, waitFor } from './herald-harness.ts';

/** The largest client rate limits the remote config allows. */
const UNLIMITED: ClientRateLimit = {
  requestsPerSecond: REMOTE_CONFIG_BOUNDS.requestsPerSecond.max,
  requestBurst: REMOTE_CONFIG_BOUNDS.requestBurst.max,
  recipientsPerSecond: REMOTE_CONFIG_BOUNDS.recipientsPerSecond.max,
  recipientBurst: REMOTE_CONFIG_BOUNDS.recipientBurst.max,
};

/**
 * `document` with every client at the largest limits allowed: for benchmarks and drills that
 * measure herald itself, which the default limit (1,000 recipients/s a client) would cap.
 */
export function withLiftedRateLimits(document: RemoteConfigDocument): RemoteConfigDocument {
  return { ...document, rateLimits: { ...(document.rateLimits ?? DEFAULT_RATE_LIMITS), default: UNLIMITED } };
}

/** Stores lifted limits in a herald of this process and waits until it applies them. */
export async function liftRateLimits(h: TestHerald): Promise<void> {
  const stored = await h.herald.stores.config.putRemoteConfig(
    withLiftedRateLimits(h.herald.config.current()),
  );
  await waitFor(async () => h.herald.config.version >= stored.version, 10_000, 'rate limits lifted');
}
