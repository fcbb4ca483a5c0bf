import type { CallbackSettings, RemoteConfigDocument } from '../domain/remote-config.ts';

export type ResolvedCallbackSettings = Required<CallbackSettings>;

/**
 * The defaults, with units: nothing allowed (an operator lists receivers' hosts first), 10 s per
 * POST, 100 events a POST, retries from 1 s doubling to 1 h for 24 h, a receiver paused after
 * failing for an hour, and events kept for a paused receiver looking for a resume every 10 s.
 */
export const DEFAULT_CALLBACK_SETTINGS: ResolvedCallbackSettings = {
  allow: [],
  allowHttp: [],
  timeoutMs: 10_000,
  batchSize: 100,
  retryBaseDelayMs: 1_000,
  retryMaxDelayMs: 3_600_000,
  giveUpAfterMs: 24 * 3_600_000,
  pauseAfterMs: 3_600_000,
  pausedRecheckMs: 10_000,
};

export function callbackSettings(config: RemoteConfigDocument): ResolvedCallbackSettings {
  return { ...DEFAULT_CALLBACK_SETTINGS, ...config.callbacks };
}

/** Delay before retry `attempt` (1 = the first retry): exponential, capped. */
export function retryDelayMs(settings: ResolvedCallbackSettings, attempt: number): number {
  return Math.min(settings.retryMaxDelayMs, settings.retryBaseDelayMs * 2 ** Math.max(0, attempt - 1));
}
