import type { Migrations } from './migrations.ts';

/**
 * The sender registry's tables, as in the embedded registry: one row per client and entry, a
 * partial unique index for "at most one default per client", `position` for a PUT's order among
 * entries registered at once. A channel's vendor ids are jsonb (read whole, never searched).
 * Times are epoch ms (bigint) from herald's clock, as in the other herald tables.
 */
export const SENDER_MIGRATIONS: Migrations = {
  component: 'senders',
  scripts: [
    `
    CREATE TABLE sender_numbers (
      client_id text NOT NULL,
      number text NOT NULL,
      is_default boolean NOT NULL,
      label text,
      registered_at bigint NOT NULL,
      position integer NOT NULL,
      PRIMARY KEY (client_id, number)
    );
    CREATE UNIQUE INDEX sender_numbers_one_default ON sender_numbers (client_id) WHERE is_default;
    CREATE TABLE kakao_channels (
      client_id text NOT NULL,
      name text NOT NULL,
      sender_ids jsonb NOT NULL,
      is_default boolean NOT NULL,
      registered_at bigint NOT NULL,
      position integer NOT NULL,
      PRIMARY KEY (client_id, name)
    );
    CREATE UNIQUE INDEX kakao_channels_one_default ON kakao_channels (client_id) WHERE is_default;
    CREATE TABLE image_hosts (
      client_id text NOT NULL,
      host text NOT NULL,
      registered_at bigint NOT NULL,
      position integer NOT NULL,
      PRIMARY KEY (client_id, host)
    );
    `,
    `
    CREATE TABLE email_senders (
      client_id text NOT NULL,
      address text NOT NULL,
      name text,
      is_default boolean NOT NULL,
      registered_at bigint NOT NULL,
      position integer NOT NULL,
      PRIMARY KEY (client_id, address)
    );
    CREATE UNIQUE INDEX email_senders_one_default ON email_senders (client_id) WHERE is_default;
    `,
  ],
};
