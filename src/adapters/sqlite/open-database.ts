import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { inTransaction } from './in-transaction.ts';
import { createPrivateDirectory, ensurePrivateDatabaseFile } from './private-files.ts';

/** How long a statement waits for another connection's write lock before failing with SQLITE_BUSY. */
const DEFAULT_BUSY_TIMEOUT_MS = 5_000;

export interface OpenDatabaseOptions {
  /** File path, or ':memory:'. Missing parent directories are created 0700, the file 0600. */
  readonly path: string;
  /**
   * Whose schema this is. Versions are tracked per component, so several adapters may share one
   * file (SQLite's single `user_version` would let the first adapter's migrations hide the others').
   */
  readonly component: string;
  /** Schema steps in order; step i brings the component to version i + 1. Never edit a shipped step. */
  readonly migrations: readonly string[];
  readonly busyTimeoutMs?: number;
  /** Zero the content a DELETE frees (PRAGMA secure_delete), for files holding personal data. */
  readonly secureDelete?: boolean;
}

/**
 * Opens a SQLite file tuned for herald: WAL (readers never block the writer), synchronous=NORMAL
 * (a committed transaction survives a process crash or SIGKILL; only an OS crash or power loss
 * may lose the last transactions), and a busy timeout so a second process waits instead of failing.
 */
export function openDatabase(options: OpenDatabaseOptions): DatabaseSync {
  if (options.path !== ':memory:') {
    createPrivateDirectory(dirname(options.path));
    ensurePrivateDatabaseFile(options.path);
  }
  const db = new DatabaseSync(options.path);
  try {
    db.exec(`PRAGMA busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS)}`);
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = NORMAL');
    if (options.secureDelete) db.exec('PRAGMA secure_delete = ON');
    migrate(db, options.component, options.migrations);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Applies the component's pending migrations, each in its own transaction together with its
 * version bump. The version is re-read under the write lock, so two processes starting at once
 * cannot both apply a step.
 */
export function migrate(db: DatabaseSync, component: string, migrations: readonly string[]): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS herald_schema (component TEXT PRIMARY KEY, version INTEGER NOT NULL) STRICT',
  );
  const readVersion = db.prepare('SELECT version FROM herald_schema WHERE component = ?');
  const writeVersion = db.prepare(
    'INSERT INTO herald_schema (component, version) VALUES (?, ?) ON CONFLICT (component) DO UPDATE SET version = excluded.version',
  );
  for (let step = 0; step < migrations.length; step++) {
    inTransaction(db, () => {
      const row = readVersion.get(component) as { version: number } | undefined;
      const current = row?.version ?? 0;
      if (current > migrations.length) {
        throw new Error(`${component} schema is version ${current}, newer than this build knows`);
      }
      if (current > step) return;
      db.exec(migrations[step]!);
      writeVersion.run(component, step + 1);
    });
  }
}

/** Whether the file answers a trivial query: what every embedded store answers to healthy(). */
export function answers(db: DatabaseSync): boolean {
  try {
    db.prepare('SELECT 1').get();
    return true;
  } catch {
    return false;
  }
}
