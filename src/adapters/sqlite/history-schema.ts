/**
 * History schema. `messages` holds each message's latest state; `message_events` every change,
 * ordered by `seq` (insertion order: two events in the same millisecond still read back in the
 * order they were written). `request_messages` lists a request's recipients by index, including
 * those answered with an earlier message's id (duplicate = 1), and `request_rejections` those that
 * were refused with their error, so a request shows all of them. A device message of a push to a
 * user has its parent in `parent_message_id`; it has no index of its own in the request.
 */
export const HISTORY_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE requests (
    request_id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL,
    lane TEXT NOT NULL,
    channel TEXT NOT NULL,
    accepted_at INTEGER NOT NULL
  ) STRICT;
  CREATE TABLE messages (
    message_id TEXT PRIMARY KEY,
    request_id TEXT NOT NULL,
    client_id TEXT NOT NULL,
    message_key TEXT NOT NULL,
    channel TEXT NOT NULL,
    lane TEXT NOT NULL,
    recipient_masked TEXT NOT NULL,
    recipient_hash TEXT NOT NULL,
    status TEXT NOT NULL,
    vendor TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    error_code TEXT,
    error_message TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX messages_by_key ON messages (client_id, message_key, created_at);
  CREATE INDEX messages_by_recipient ON messages (recipient_hash);
  CREATE TABLE request_messages (
    request_id TEXT NOT NULL,
    message_index INTEGER NOT NULL,
    message_id TEXT NOT NULL,
    duplicate INTEGER NOT NULL,
    PRIMARY KEY (request_id, message_index)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX request_messages_by_message ON request_messages (message_id);
  CREATE TABLE message_events (
    seq INTEGER PRIMARY KEY,
    message_id TEXT NOT NULL,
    status TEXT NOT NULL,
    at INTEGER NOT NULL,
    vendor TEXT,
    attempt INTEGER,
    latency_ms REAL,
    error_code TEXT,
    error_message TEXT,
    dedup_fail_open INTEGER,
    request_id TEXT
  ) STRICT;
  CREATE INDEX message_events_by_message ON message_events (message_id, seq);
  `,
  // Recipients refused at submission, so a request's view shows every recipient with its error.
  `
  CREATE TABLE request_rejections (
    request_id TEXT NOT NULL,
    message_index INTEGER NOT NULL,
    error_code TEXT NOT NULL,
    error_message TEXT NOT NULL,
    PRIMARY KEY (request_id, message_index)
  ) STRICT, WITHOUT ROWID;
  `,
  // Pushes to users: each device message names the message it was resolved from.
  `
  ALTER TABLE messages ADD COLUMN parent_message_id TEXT;
  CREATE INDEX messages_by_parent ON messages (parent_message_id) WHERE parent_message_id IS NOT NULL;
  `,
  // Delivery receipts: the vendor's id for each sent message (what receipts are matched by), the
  // network it reached, and on each event the vendor's own result code.
  `
  ALTER TABLE messages ADD COLUMN vendor_message_id TEXT;
  ALTER TABLE messages ADD COLUMN carrier TEXT;
  CREATE INDEX messages_by_vendor_message ON messages (vendor, vendor_message_id)
    WHERE vendor_message_id IS NOT NULL;
  ALTER TABLE message_events ADD COLUMN vendor_message_id TEXT;
  ALTER TABLE message_events ADD COLUMN carrier TEXT;
  ALTER TABLE message_events ADD COLUMN result_code TEXT;
  `,
  // How far the history writer has folded the history log in, per log partition (applyLog).
  `
  CREATE TABLE history_log_positions (
    source TEXT PRIMARY KEY,
    next_offset INTEGER NOT NULL
  ) STRICT, WITHOUT ROWID;
  `,
  // Content dedup claims keys in the dedup store now: no lookup by key is left to serve.
  `
  DROP INDEX messages_by_key;
  `,
  // Messages that had events before they existed (history-log-plan.ts says why that happens): their
  // events are in message_events already; the row takes them when it is created.
  `
  CREATE TABLE pending_folds (
    message_id TEXT PRIMARY KEY,
    noted_at INTEGER NOT NULL
  ) STRICT, WITHOUT ROWID;
  `,
];
