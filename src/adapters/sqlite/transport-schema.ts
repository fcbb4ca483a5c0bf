/**
 * The embedded log's schema. `partition_heads.next_offset` is kept apart from the records because
 * retention deletes records: deriving the next offset from MAX(log_offset) would hand out an
 * offset twice once a partition was emptied, and a consumer would skip the new record.
 *
 * `records` stays a rowid table (values are JSON envelopes, too large for WITHOUT ROWID to pay
 * off); the unique index makes a poll one range scan per partition.
 *
 * `group_topics` records which groups read a topic, from the moment a consumer subscribes:
 * retention keeps a record until every one of them committed past it, a group that has not
 * committed anything yet included. Seeded from the commits made before it existed.
 */
export const TRANSPORT_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE topics (
    topic_id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    partitions INTEGER NOT NULL CHECK (partitions > 0)
  ) STRICT;
  CREATE TABLE partition_heads (
    topic_id INTEGER NOT NULL,
    partition_no INTEGER NOT NULL,
    next_offset INTEGER NOT NULL,
    PRIMARY KEY (topic_id, partition_no)
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE records (
    topic_id INTEGER NOT NULL,
    partition_no INTEGER NOT NULL,
    log_offset INTEGER NOT NULL,
    record_key TEXT NOT NULL,
    value TEXT NOT NULL,
    appended_at INTEGER NOT NULL
  ) STRICT;
  CREATE UNIQUE INDEX records_by_position ON records (topic_id, partition_no, log_offset);
  CREATE TABLE group_offsets (
    group_id TEXT NOT NULL,
    topic_id INTEGER NOT NULL,
    partition_no INTEGER NOT NULL,
    next_offset INTEGER NOT NULL,
    PRIMARY KEY (group_id, topic_id, partition_no)
  ) STRICT, WITHOUT ROWID;
  `,
  `
  CREATE TABLE group_topics (
    group_id TEXT NOT NULL,
    topic_id INTEGER NOT NULL,
    PRIMARY KEY (group_id, topic_id)
  ) STRICT, WITHOUT ROWID;
  INSERT INTO group_topics (group_id, topic_id) SELECT DISTINCT group_id, topic_id FROM group_offsets;
  `,
];
