import type { Migrations } from './migrations.ts';

/** The webhook store's table, as in the embedded store: one row per client, times in epoch ms. */
export const WEBHOOK_MIGRATIONS: Migrations = {
  component: 'webhooks',
  scripts: [
    `
    CREATE TABLE webhooks (
      client_id text PRIMARY KEY,
      url text NOT NULL,
      secret text NOT NULL,
      previous_secret text,
      previous_until bigint,
      registered_at bigint NOT NULL,
      updated_at bigint NOT NULL,
      state text NOT NULL CHECK (state IN ('active', 'paused')),
      failing_since bigint,
      paused_at bigint,
      last_error text
    )`,
  ],
};
