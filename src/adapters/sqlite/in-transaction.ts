import type { DatabaseSync } from 'node:sqlite';

/**
 * Runs `work` inside BEGIN IMMEDIATE ... COMMIT, rolling back when it throws.
 *
 * IMMEDIATE takes the write lock up front: a deferred transaction that reads and then writes
 * cannot wait for the lock (SQLite returns SQLITE_BUSY at once to avoid a deadlock), whereas an
 * immediate one honours busy_timeout when another process holds the file.
 */
export function inTransaction<T>(db: DatabaseSync, work: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error;
  }
}
