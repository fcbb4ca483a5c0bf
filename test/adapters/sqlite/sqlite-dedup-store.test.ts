import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { SqliteDedupStore } from '../../../src/adapters/sqlite/sqlite-dedup-store.ts';
import { describeDedupStoreContract } from '../../contracts/dedup-store.contract.ts';
import type { TempDirectory } from './temp-directory.ts';
import { inTempDirectory, tempDirectory } from './temp-directory.ts';

describeDedupStoreContract(
  'sqlite',
  inTempDirectory('dedup.db', (path) => new SqliteDedupStore({ path })),
);

const MINUTE_MS = 60_000;

describe('sqlite dedup store (adapter only)', () => {
  let dir: TempDirectory;
  let path: string;

  beforeEach(() => {
    dir = tempDirectory();
    path = dir.file('dedup.db');
  });
  afterEach(() => dir.remove());

  it('remembers confirmed keys and reservations across close and reopen', async () => {
    const first = new SqliteDedupStore({ path });
    await first.reserve(['sent-key', 'held-key'], MINUTE_MS);
    await first.confirm(['sent-key'], MINUTE_MS);
    await first.close();

    const reopened = new SqliteDedupStore({ path });
    try {
      assert.deepEqual(await reopened.reserve(['sent-key', 'held-key'], MINUTE_MS), ['sent', 'in-flight']);
    } finally {
      await reopened.close();
    }
  });

  it('purges expired keys only', async () => {
    const store = new SqliteDedupStore({ path });
    try {
      await store.reserve(['short-a', 'short-b'], 1_000);
      await store.confirm(['long'], 10 * MINUTE_MS);
      assert.equal(store.purgeExpired(Date.now() + MINUTE_MS), 2);
      assert.equal(store.purgeExpired(Date.now() + MINUTE_MS), 0);
      assert.deepEqual(await store.reserve(['long'], MINUTE_MS), ['sent']);
    } finally {
      await store.close();
    }
  });

  it('fails as unavailable once closed, so the pipeline can fail open', async () => {
    const store = new SqliteDedupStore({ path });
    await store.close();
    await assert.rejects(store.reserve(['k'], MINUTE_MS), { code: 'HERALD_UNAVAILABLE', retryable: true });
  });
});
