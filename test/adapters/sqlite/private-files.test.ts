import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { openDatabase } from '../../../src/adapters/sqlite/open-database.ts';
import { ensurePrivateDirectory } from '../../../src/adapters/sqlite/private-files.ts';
import type { TempDirectory } from './temp-directory.ts';
import { tempDirectory } from './temp-directory.ts';

function mode(path: string): number {
  return statSync(path).mode & 0o7777;
}

describe('private files', () => {
  let dir: TempDirectory;
  let data: string;

  beforeEach(() => {
    dir = tempDirectory();
    data = join(dir.path, 'data');
  });
  afterEach(() => dir.remove());

  it('openDatabase creates the directory 0700 and the file, its -wal and -shm 0600', () => {
    const path = join(data, 'nested', 'herald.db');
    const db = openDatabase({ path, component: 'test', migrations: ['CREATE TABLE a (x INTEGER)'] });
    try {
      db.exec('INSERT INTO a VALUES (1)');
      assert.equal(mode(data), 0o700);
      assert.equal(mode(join(data, 'nested')), 0o700);
      for (const suffix of ['', '-wal', '-shm'])
        assert.equal(mode(path + suffix), 0o600, `herald.db${suffix}`);
    } finally {
      db.close();
    }
  });

  it('tightens a database file and its companions left readable by others', () => {
    const path = join(data, 'herald.db');
    openDatabase({ path, component: 'test', migrations: [] }).close();
    writeFileSync(`${path}-wal`, '');
    chmodSync(path, 0o644);
    chmodSync(`${path}-wal`, 0o666);
    // Checked while open: SQLite deletes the -wal when its last connection closes.
    const db = openDatabase({ path, component: 'test', migrations: [] });
    try {
      assert.equal(mode(path), 0o600);
      assert.equal(mode(`${path}-wal`), 0o600);
    } finally {
      db.close();
    }
  });

  it("tightens an existing directory that holds only herald's files", () => {
    mkdirSync(data);
    writeFileSync(join(data, 'transport.db'), '');
    writeFileSync(join(data, 'transport.db-wal'), '');
    chmodSync(data, 0o755);
    assert.deepEqual(ensurePrivateDirectory(data), { kind: 'tightened', from: 0o755 });
    assert.equal(mode(data), 0o700);
    assert.deepEqual(ensurePrivateDirectory(data), { kind: 'private' });
  });

  it('leaves a directory shared with other files as it is, and says why', () => {
    mkdirSync(data);
    writeFileSync(join(data, 'notes.txt'), 'mine');
    chmodSync(data, 0o755);
    const outcome = ensurePrivateDirectory(data);
    assert.equal(outcome.kind, 'left-open');
    assert.match(outcome.kind === 'left-open' ? outcome.reason : '', /not herald's/);
    assert.equal(mode(data), 0o755);
  });

  it('leaves a sticky directory (such as /tmp) as it is', () => {
    mkdirSync(data);
    chmodSync(data, 0o1777);
    assert.equal(ensurePrivateDirectory(data).kind, 'left-open');
    assert.equal(mode(data), 0o1777);
  });
});
