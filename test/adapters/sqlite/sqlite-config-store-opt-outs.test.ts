import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { CONFIG_MIGRATIONS } from '../../../src/adapters/sqlite/config-rows.ts';
import { openDatabase } from '../../../src/adapters/sqlite/open-database.ts';
import { SqliteConfigStore } from '../../../src/adapters/sqlite/sqlite-config-store.ts';
import type { TempDirectory } from './temp-directory.ts';
import { tempDirectory } from './temp-directory.ts';

/** The opt-out table of the sqlite config store (adapter only): its migration and durability. */
describe('sqlite config store opt-outs (adapter only)', () => {
  let dir: TempDirectory;
  let path: string;

  beforeEach(() => {
    dir = tempDirectory();
    path = dir.file('config.db');
  });
  afterEach(() => dir.remove());

  it('adds the opt-out table to a file made before it existed, keeping what was there', async () => {
    const old = openDatabase({ path, component: 'config', migrations: CONFIG_MIGRATIONS.slice(0, 1) });
    old
      .prepare(
        "INSERT INTO templates (code, channel, body, buttons, updated_at) VALUES ('T1', 'alimtalk', 'hi', '[]', 1)",
      )
      .run();
    old.close();

    const store = new SqliteConfigStore({ path });
    try {
      await store.addOptOut('c1', 'sms', 'h1');
      assert.deepEqual(await store.findOptOuts('c1', 'sms', ['h1', 'h2']), new Set(['h1']));
    } finally {
      await store.close();
    }
    // The old global templates table is no longer read (templates are per client now), but kept.
    const raw = openDatabase({ path, component: 'config', migrations: CONFIG_MIGRATIONS });
    try {
      assert.deepEqual(
        { ...raw.prepare("SELECT body FROM templates WHERE code = 'T1'").get() },
        { body: 'hi' },
      );
    } finally {
      raw.close();
    }
  });

  it('keeps opt-outs across close and reopen', async () => {
    const first = new SqliteConfigStore({ path });
    await first.addOptOut('c1', 'push', 'h1');
    await first.close();
    const reopened = new SqliteConfigStore({ path });
    try {
      assert.deepEqual(await reopened.findOptOuts('c1', 'push', ['h1']), new Set(['h1']));
    } finally {
      await reopened.close();
    }
  });

  it('answers HERALD_UNAVAILABLE, not a driver error, once closed', async () => {
    const store = new SqliteConfigStore({ path });
    await store.close();
    await assert.rejects(store.findOptOuts('c1', 'sms', ['h1']), { code: 'HERALD_UNAVAILABLE' });
    await assert.rejects(store.addOptOut('c1', 'sms', 'h1'), { code: 'HERALD_UNAVAILABLE' });
  });
});
