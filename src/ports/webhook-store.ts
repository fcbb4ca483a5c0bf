/**
 * Webhook store port: each client's status-callback registration (at most one per client) and the
 * receiver's health as the callbacks worker last saw it.
 *
 * Deliberately left out: the signing secrets in clear. The store keeps them sealed (the core's
 * secret box encrypts them with a key from the environment or the data directory), so a copy of
 * the database alone cannot sign a callback. Also left out: any notion of URL policy (the core
 * checks URLs against the remote config before it stores one) and driver types.
 */
export type WebhookState = 'active' | 'paused';

/** The last failure of a receiver: an HTTP status or a network error name, never a secret or body. */
export interface WebhookError {
  readonly at: number;
  readonly status?: number;
  readonly error?: string;
}

export interface WebhookRegistration {
  readonly clientId: string;
  readonly url: string;
  /** The current signing secret, sealed. */
  readonly secret: string;
  /** During a rotation: the previous secret, sealed, and until when it signs too (epoch ms). */
  readonly previousSecret?: string;
  readonly previousUntil?: number;
}

export interface StoredWebhook extends WebhookRegistration {
  readonly registeredAt: number;
  readonly updatedAt: number;
  readonly state: WebhookState;
  /** Since when the receiver fails without a success in between (absent: last call succeeded). */
  readonly failingSince?: number;
  readonly pausedAt?: number;
  readonly lastError?: WebhookError;
}

/** What the callbacks worker reports after a POST. */
export type DeliveryHealth =
  | { readonly ok: true }
  | { readonly ok: false; readonly error: WebhookError; readonly pauseAfterMs: number };

export interface WebhookStore {
  get(clientId: string): Promise<StoredWebhook | undefined>;
  /** Registers or replaces; a (re-)registration makes the webhook active and forgets its failures. */
  put(registration: WebhookRegistration, at: number): Promise<StoredWebhook>;
  /** False when the client had none. */
  remove(clientId: string): Promise<boolean>;
  /**
   * Records a delivery's outcome: a success clears the failure; a failure sets `failingSince` (if
   * unset) and `lastError`, and pauses the webhook once it has failed for `pauseAfterMs`. Answers
   * the webhook as now stored (undefined: removed meanwhile).
   */
  recordDelivery(clientId: string, health: DeliveryHealth): Promise<StoredWebhook | undefined>;
  /** Makes a paused webhook active again and forgets its failures; false when the client has none. */
  resume(clientId: string, at: number): Promise<boolean>;
  healthy(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * The health fold both adapters apply inside their transaction: one rule, so the engines cannot
 * disagree about when a receiver is paused.
 */
export function foldDelivery(current: StoredWebhook, health: DeliveryHealth): StoredWebhook {
  if (health.ok) {
    // lastError stays: GET /v1/webhooks shows the last failure even after the receiver recovered.
    const { failingSince: _cleared, ...rest } = current;
    return rest;
  }
  const failingSince = current.failingSince ?? health.error.at;
  const pause = current.state === 'active' && health.error.at - failingSince >= health.pauseAfterMs;
  return {
    ...current,
    failingSince,
    lastError: health.error,
    ...(pause ? { state: 'paused' as const, pausedAt: health.error.at } : {}),
  };
}
