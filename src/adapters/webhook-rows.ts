import type { StoredWebhook, WebhookError, WebhookState } from '../ports/webhook-store.ts';

/** A webhook row as both SQL engines return it (PostgreSQL bigints arrive as strings). */
export interface WebhookRow {
  readonly client_id: string;
  readonly url: string;
  readonly secret: string;
  readonly previous_secret: string | null;
  readonly previous_until: number | string | null;
  readonly registered_at: number | string;
  readonly updated_at: number | string;
  readonly state: string;
  readonly failing_since: number | string | null;
  readonly paused_at: number | string | null;
  readonly last_error: string | null;
}

export const WEBHOOK_COLUMNS =
  'client_id, url, secret, previous_secret, previous_until, registered_at, updated_at, state, failing_since, paused_at, last_error';

export function toStoredWebhook(row: WebhookRow): StoredWebhook {
  return {
    clientId: row.client_id,
    url: row.url,
    secret: row.secret,
    ...(row.previous_secret !== null && { previousSecret: row.previous_secret }),
    ...(row.previous_until !== null && { previousUntil: Number(row.previous_until) }),
    registeredAt: Number(row.registered_at),
    updatedAt: Number(row.updated_at),
    state: row.state as WebhookState,
    ...(row.failing_since !== null && { failingSince: Number(row.failing_since) }),
    ...(row.paused_at !== null && { pausedAt: Number(row.paused_at) }),
    ...(row.last_error !== null && { lastError: JSON.parse(row.last_error) as WebhookError }),
  };
}

/** The row's values in WEBHOOK_COLUMNS order. */
export function webhookValues(webhook: StoredWebhook): (string | number | null)[] {
  return [
    webhook.clientId,
    webhook.url,
    webhook.secret,
    webhook.previousSecret ?? null,
    webhook.previousUntil ?? null,
    webhook.registeredAt,
    webhook.updatedAt,
    webhook.state,
    webhook.failingSince ?? null,
    webhook.pausedAt ?? null,
    webhook.lastError ? JSON.stringify(webhook.lastError) : null,
  ];
}
