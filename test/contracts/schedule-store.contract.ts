import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { ParkedRecord, ScheduleStore } from '../../src/ports/schedule-store.ts';
import type { ContractSubject } from './contract-helpers.ts';
import { uniqueName } from './contract-helpers.ts';

const T0 = 1_780_000_000_000;
const LEASE_MS = 60_000;

/** A fresh store, and a second store over the same data (what a restart opens). */
export interface ScheduleSubject extends ContractSubject<ScheduleStore> {
  readonly reopen: () => Promise<ScheduleStore>;
}

/**
 * "Park until T" as the retry worker relies on it: durable parking, claims in due order that never
 * hand one record to two claimers, removal that cannot delete a record parked again since.
 */
export function describeScheduleStoreContract(name: string, makeStore: () => Promise<ScheduleSubject>): void {
  describe(`${name} schedule store contract`, () => {
    let store: ScheduleStore;
    let cleanup: () => Promise<void>;
    let reopen: () => Promise<ScheduleStore>;
    let queue: string;

    beforeEach(async () => {
      ({ store, cleanup, reopen } = await makeStore());
      queue = uniqueName('queue');
    });
    afterEach(async () => cleanup());

    const record = (id: string, dueAt: number, value = `value-${id}`): ParkedRecord => ({
      queue,
      id,
      dueAt,
      value,
    });
    const ids = (records: readonly { id: string }[]) => records.map((r) => r.id);

    it('claims only due records, earliest due first, with their values', async () => {
      await store.park([record('late', T0 + 3_000), record('first', T0 - 5_000), record('second', T0)]);
      const claimed = await store.claimDue(queue, T0, 10, LEASE_MS);
      assert.deepEqual(ids(claimed), ['first', 'second']);
      assert.deepEqual(
        claimed.map((r) => [r.queue, r.dueAt, r.value]),
        [
          [queue, T0 - 5_000, 'value-first'],
          [queue, T0, 'value-second'],
        ],
      );
      assert.deepEqual(ids(await store.claimDue(queue, T0 + 3_000, 10, LEASE_MS)), ['late']);
    });

    it('claims at most `limit`, the earliest ones', async () => {
      await store.park([3, 1, 4, 2, 5].map((n) => record(`r${n}`, T0 + n)));
      assert.deepEqual(ids(await store.claimDue(queue, T0 + 10, 2, LEASE_MS)), ['r1', 'r2']);
      assert.deepEqual(ids(await store.claimDue(queue, T0 + 10, 2, LEASE_MS)), ['r3', 'r4']);
    });

    it('hides a claimed record until its lease lapses, then hands it out again', async () => {
      await store.park([record('a', T0)]);
      assert.equal((await store.claimDue(queue, T0, 10, 1_000)).length, 1);
      assert.deepEqual(await store.claimDue(queue, T0 + 999, 10, 1_000), [], 'hidden while claimed');
      assert.deepEqual(ids(await store.claimDue(queue, T0 + 1_000, 10, 1_000)), ['a'], 'claimer died');
    });

    it('never gives one record to two concurrent claims', async () => {
      await store.park(Array.from({ length: 200 }, (_, n) => record(`r${n}`, T0)));
      const claims = await Promise.all(
        Array.from({ length: 4 }, () => store.claimDue(queue, T0, 80, LEASE_MS)),
      );
      const all = claims.flatMap(ids);
      assert.equal(new Set(all).size, all.length, 'no record claimed twice');
      assert.equal(all.length, 200);
    });

    it('remove deletes claimed records for good', async () => {
      await store.park([record('a', T0), record('b', T0)]);
      const claimed = await store.claimDue(queue, T0, 10, 1_000);
      await store.remove(claimed.filter((r) => r.id === 'a'));
      assert.equal(await store.count(queue), 1);
      assert.deepEqual(ids(await store.claimDue(queue, T0 + 5_000, 10, 1_000)), ['b']);
    });

    it('parking an id again replaces it, frees its claim, and survives the old claim being removed', async () => {
      await store.park([record('a', T0, 'old')]);
      const [stale] = await store.claimDue(queue, T0, 10, LEASE_MS);
      await store.park([record('a', T0 + 10, 'new')]);
      await store.remove([stale!]);
      assert.equal(await store.count(queue), 1, 'the new version is kept');
      const [again] = await store.claimDue(queue, T0 + 10, 10, LEASE_MS);
      assert.deepEqual([again?.id, again?.dueAt, again?.value], ['a', T0 + 10, 'new']);
    });

    it('the same id twice in one park keeps the last', async () => {
      await store.park([record('a', T0, 'first'), record('a', T0 + 1, 'last')]);
      assert.equal(await store.count(queue), 1);
      assert.equal((await store.claimDue(queue, T0 + 1, 10, LEASE_MS))[0]?.value, 'last');
    });

    it('keeps queues apart', async () => {
      const other = uniqueName('queue');
      await store.park([record('a', T0), { queue: other, id: 'a', dueAt: T0, value: 'other' }]);
      assert.deepEqual(
        (await store.claimDue(other, T0, 10, LEASE_MS)).map((r) => r.value),
        ['other'],
      );
      assert.equal(await store.count(queue), 1);
      assert.equal(await store.count(other), 1);
    });

    it('keeps what is parked across a restart, claimed or not', async () => {
      await store.park([record('claimed', T0), record('waiting', T0 + 1_000)]);
      await store.claimDue(queue, T0, 1, 1_000);
      const restarted = await reopen();
      try {
        assert.equal(await restarted.count(queue), 2);
        assert.deepEqual(ids(await restarted.claimDue(queue, T0 + 1_000, 10, LEASE_MS)), [
          'claimed',
          'waiting',
        ]);
      } finally {
        await restarted.close();
      }
    });

    it('empty batches and a zero limit are no-ops', async () => {
      await store.park([]);
      await store.remove([]);
      await store.park([record('a', T0)]);
      assert.deepEqual(await store.claimDue(queue, T0, 0, LEASE_MS), []);
      assert.equal(await store.count(queue), 1);
    });

    it('answers healthy while it can', async () => {
      assert.equal(await store.healthy(), true);
    });
  });
}
