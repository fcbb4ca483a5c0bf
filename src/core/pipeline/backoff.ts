import type { RetrySettings } from '../domain/remote-config.ts';

/**
 * Delay before the next attempt: exponential with "equal jitter" (half the exponential cap plus a
 * random share of the other half), so a vendor outage does not bring every message back at the
 * same instant, yet no retry comes back immediately. A vendor's Retry-After is a floor, never shortened.
 */
export function nextAttemptDelay(
  attempt: number,
  settings: RetrySettings,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  const cap = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.round(cap / 2 + (random() * cap) / 2);
  return Math.max(jittered, retryAfterMs ?? 0);
}
