import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SqliteScheduleStore } from '../../../src/adapters/sqlite/sqlite-schedule-store.ts';
import { describeScheduleStoreContract } from '../../contracts/schedule-store.contract.ts';
import { tempDirectory } from './temp-directory.ts';

describeScheduleStoreContract('sqlite', async () => {
  const dir = tempDirectory();
  const path = dir.file('schedule.db');
  const store = new SqliteScheduleStore({ path });
  return {
    store,
    reopen: async () => new SqliteScheduleStore({ path }),
    cleanup: async () => {
      await store.close();
      dir.remove();
    },
  };
});

describe('sqlite schedule store (adapter only)', () => {
  it('fails as unavailable once closed, so the retry worker keeps its records and waits', async () => {
    const dir = tempDirectory();
    const store = new SqliteScheduleStore({ path: dir.file('schedule.db') });
    await store.close();
    try {
      await assert.rejects(store.park([{ queue: 'q', id: 'a', dueAt: 0, value: 'v' }]), {
        code: 'HERALD_UNAVAILABLE',
        retryable: true,
      });
      await assert.rejects(store.claimDue('q', 0, 10, 1_000), { code: 'HERALD_UNAVAILABLE' });
      assert.equal(await store.healthy(), false);
    } finally {
      dir.remove();
    }
  });
});
