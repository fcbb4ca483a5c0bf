import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { migrate, openDatabase } from '../../../src/adapters/sqlite/open-database.ts';
import type { TempDirectory } from './temp-directory.ts';
import { tempDirectory } from './temp-directory.ts';

describe('openDatabase', () => {
  let dir: TempDirectory;
  let path: string;

  beforeEach(() => {
    dir = tempDirectory();
    path = dir.file('nested/herald.db');
  });
  afterEach(() => dir.remove());

  it('creates the directory and opens the file in WAL mode with synchronous=NORMAL', () => {
    const db = openDatabase({ path, component: 'test', migrations: [] });
    try {
      // node:sqlite rows have a null prototype: compare fields, not whole objects.
      assert.equal(db.prepare('PRAGMA journal_mode').get()?.journal_mode, 'wal');
      // 1 = NORMAL: durable against a process crash, one fsync per checkpoint instead of per commit.
      assert.equal(db.prepare('PRAGMA synchronous').get()?.synchronous, 1);
      assert.ok(Number(db.prepare('PRAGMA busy_timeout').get()?.timeout) > 0);
    } finally {
      db.close();
    }
  });

  it('applies each migration once, and only the new ones after an upgrade', () => {
    const v1 = ['CREATE TABLE a (x INTEGER)'];
    openDatabase({ path, component: 'test', migrations: v1 }).close();
    const db = openDatabase({ path, component: 'test', migrations: [...v1, 'CREATE TABLE b (y INTEGER)'] });
    try {
      const tables = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('a', 'b')")
        .all();
      assert.equal(tables.length, 2);
      assert.equal(
        db.prepare("SELECT version FROM herald_schema WHERE component = 'test'").get()?.version,
        2,
      );
    } finally {
      db.close();
    }
  });

  it('versions each component apart, so adapters can share one file', () => {
    openDatabase({ path, component: 'first', migrations: ['CREATE TABLE a (x INTEGER)'] }).close();
    const db = openDatabase({ path, component: 'second', migrations: ['CREATE TABLE b (y INTEGER)'] });
    try {
      assert.equal(db.prepare("SELECT name FROM sqlite_master WHERE name = 'b'").all().length, 1);
    } finally {
      db.close();
    }
  });

  it('rolls back a failing migration together with its version', () => {
    assert.throws(() =>
      openDatabase({ path, component: 'test', migrations: ['CREATE TABLE a (x INTEGER); NOT SQL'] }),
    );
    const db = openDatabase({ path, component: 'test', migrations: ['CREATE TABLE a (x INTEGER)'] });
    db.close();
  });

  it('refuses a file whose schema is newer than this build', () => {
    const db = openDatabase({ path, component: 'test', migrations: ['SELECT 1', 'SELECT 2'] });
    try {
      assert.throws(() => migrate(db, 'test', ['SELECT 1']), /newer than this build/);
    } finally {
      db.close();
    }
  });
});
