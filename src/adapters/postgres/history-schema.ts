import type { Migrations } from './migrations.ts';

/**
 * History tables, as in the embedded store, but every one partitioned by time (declarative RANGE
 * partitioning): old history goes by dropping a partition, not by a DELETE that bloats the table,
 * and an admin query bounded in time reads only its partitions. HistoryPartitions creates the
 * partitions.
 *
 * PostgreSQL requires a partitioned table's unique keys to include the partition column, so keys
 * are (id, time). Retried writes repeat the same time (the request's acceptedAt), so ON CONFLICT
 * still makes them idempotent.
 *
 * - messages: each message's latest state. Indexes for the admin queries: by request, by recipient
 *   hash, and by vendor + status + time.
 * - message_events: every change, ordered by `seq` (a bigserial: two events in one millisecond
 *   still read back in the order they were written).
 * - request_messages: a request's recipients by index, including those answered with an earlier
 *   message's id (duplicate = true); request_rejections: those refused at submission, with their
 *   error. Together a request shows all of them.
 */
export const HISTORY_MIGRATIONS: Migrations = {
  component: 'history',
  scripts: [
    `
    CREATE TABLE requests (
      request_id text NOT NULL,
      client_id text NOT NULL,
      lane text NOT NULL,
      channel text NOT NULL,
      accepted_at timestamptz NOT NULL,
      PRIMARY KEY (request_id, accepted_at)
    ) PARTITION BY RANGE (accepted_at);

    CREATE TABLE messages (
      message_id text NOT NULL,
      request_id text NOT NULL,
      client_id text NOT NULL,
      message_key text NOT NULL,
      channel text NOT NULL,
      lane text NOT NULL,
      recipient_masked text NOT NULL,
      recipient_hash text NOT NULL,
      status text NOT NULL,
      vendor text,
      attempts integer NOT NULL DEFAULT 0,
      error_code text,
      error_message text,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      PRIMARY KEY (message_id, created_at)
    ) PARTITION BY RANGE (created_at);
    CREATE INDEX messages_by_request ON messages (request_id);
    CREATE INDEX messages_by_recipient ON messages (recipient_hash, created_at);
    CREATE INDEX messages_by_vendor_status ON messages (vendor, status, created_at);
    CREATE INDEX messages_by_key ON messages (client_id, message_key, created_at);

    CREATE TABLE request_messages (
      request_id text NOT NULL,
      message_index integer NOT NULL,
      message_id text NOT NULL,
      duplicate boolean NOT NULL,
      accepted_at timestamptz NOT NULL,
      PRIMARY KEY (request_id, message_index, accepted_at)
    ) PARTITION BY RANGE (accepted_at);
    CREATE INDEX request_messages_by_message ON request_messages (message_id);

    CREATE TABLE message_events (
      seq bigserial NOT NULL,
      message_id text NOT NULL,
      status text NOT NULL,
      at timestamptz NOT NULL,
      vendor text,
      attempt integer,
      latency_ms double precision,
      error_code text,
      error_message text,
      dedup_fail_open boolean,
      request_id text
    ) PARTITION BY RANGE (at);
    CREATE INDEX message_events_by_message ON message_events (message_id, seq);
    `,
    // Recipients refused at submission, so a request's view shows every recipient with its error.
    // Partitions for periods that already exist are made by HistoryPartitions on the next write or
    // upkeep (CREATE TABLE IF NOT EXISTS per table), like any period's.
    `
    CREATE TABLE request_rejections (
      request_id text NOT NULL,
      message_index integer NOT NULL,
      error_code text NOT NULL,
      error_message text NOT NULL,
      accepted_at timestamptz NOT NULL,
      PRIMARY KEY (request_id, message_index, accepted_at)
    ) PARTITION BY RANGE (accepted_at);
    `,
    // Pushes to users: each device message names the message it was resolved from. A device
    // message takes its parent's created_at, so it lives in the parent's partition.
    `
    ALTER TABLE messages ADD COLUMN parent_message_id text;
    CREATE INDEX messages_by_parent ON messages (parent_message_id) WHERE parent_message_id IS NOT NULL;
    `,
    // Delivery receipts: the vendor's id for each sent message (what receipts are matched by), the
    // network it reached, and on each event the vendor's own result code.
    `
    ALTER TABLE messages ADD COLUMN vendor_message_id text;
    ALTER TABLE messages ADD COLUMN carrier text;
    CREATE INDEX messages_by_vendor_message ON messages (vendor, vendor_message_id)
      WHERE vendor_message_id IS NOT NULL;
    ALTER TABLE message_events ADD COLUMN vendor_message_id text;
    ALTER TABLE message_events ADD COLUMN carrier text;
    ALTER TABLE message_events ADD COLUMN result_code text;
    `,
    // How far the history writer has folded the history log in, per log partition: updated in the
    // transaction that applies a stretch, so a stretch read again after a crash is skipped.
    `
    CREATE TABLE history_log_positions (
      source text PRIMARY KEY,
      next_offset bigint NOT NULL
    );
    `,
    // Content dedup claims keys in the dedup store now: no lookup by key is left to serve, and
    // every accepted message paid for the index.
    `
    DROP INDEX messages_by_key;
    `,
    // Messages that had events before they existed (history-log-plan.ts says why that happens): their
    // events are in message_events already; the row takes them when it is created.
    `
    CREATE TABLE pending_folds (
      message_id text PRIMARY KEY,
      noted_at timestamptz NOT NULL
    );
    `,
  ],
};

/** Every partitioned table: each gets a partition per period, under the same suffix. */
export const PARTITIONED_TABLES = [
  'requests',
  'messages',
  'request_messages',
  'request_rejections',
  'message_events',
] as const;
