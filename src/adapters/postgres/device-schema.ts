import type { Migrations } from './migrations.ts';

/**
 * The device table, as in the embedded registry. The primary key (client_id, token_hash) is the
 * unique index every look-up by token uses; (client_id, user_id) serves the fan-out. Times are
 * epoch ms (bigint) from herald's clock, not the database's, as in the other herald tables.
 */
export const DEVICE_MIGRATIONS: Migrations = {
  component: 'devices',
  scripts: [
    `
    CREATE TABLE devices (
      client_id text NOT NULL,
      token_hash text NOT NULL,
      token text NOT NULL,
      token_masked text NOT NULL,
      provider text NOT NULL CHECK (provider IN ('fcm', 'apns')),
      platform text NOT NULL CHECK (platform IN ('android', 'ios', 'web')),
      app text NOT NULL,
      user_id text,
      created_at bigint NOT NULL,
      updated_at bigint NOT NULL,
      dead_at bigint,
      dead_reason text,
      PRIMARY KEY (client_id, token_hash)
    );
    CREATE INDEX devices_by_user ON devices (client_id, user_id);
    `,
  ],
};
