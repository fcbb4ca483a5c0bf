import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { SqliteScheduleStore } from '../../../src/adapters/sqlite/sqlite-schedule-store.ts';
import { type ScheduleKind, scheduleQueue } from '../../../src/core/pipeline/schedule-queues.ts';
import { ScheduleReleaser } from '../../../src/core/pipeline/schedule-releaser.ts';
import { silentLogger } from '../../../src/observability/logger.ts';
import { HeraldMetrics } from '../../../src/observability/metrics.ts';
import type { ClaimedRecord } from '../../../src/ports/schedule-store.ts';
import { type TempDirectory, tempDirectory } from '../../adapters/sqlite/temp-directory.ts';
import { AT_8_KST } from '../../support/night-ads.ts';

const NIGHT = scheduleQueue('ad', 'night-ad');
const RETRY = scheduleQueue('ad', 'retry');

/**
 * The releaser's order and pace, stepped one batch at a time against the real embedded store with a
 * frozen clock: counts of what each step released, never how long it took.
 */
describe('ScheduleReleaser', () => {
  let dir: TempDirectory;
  let store: SqliteScheduleStore;
  let now: number;
  let released: { kind: ScheduleKind; ids: string[] }[];
  let failRelease: boolean;
  let metrics: HeraldMetrics;

  beforeEach(() => {
    dir = tempDirectory();
    store = new SqliteScheduleStore({ path: dir.file('schedule.db') });
    now = AT_8_KST;
    released = [];
    failRelease = false;
    metrics = new HeraldMetrics();
  });
  afterEach(async () => {
    await store.close();
    dir.remove();
  });

  function releaser(nightAdsPerSecond: number): ScheduleReleaser {
    return new ScheduleReleaser({
      lane: 'ad',
      store,
      release: async (kind: ScheduleKind, claimed: readonly ClaimedRecord[]) => {
        if (failRelease) throw new Error('opt-out list unreadable');
        released.push({ kind, ids: claimed.map((r) => r.id) });
        await store.remove(claimed);
      },
      now: () => now,
      nightAdsPerSecond,
      metrics,
      logger: silentLogger(),
      leaseMs: 60_000,
    });
  }

  const park = (queue: string, count: number, prefix: string, dueAt = AT_8_KST) =>
    store.park(Array.from({ length: count }, (_, i) => ({ queue, id: `${prefix}${i}`, dueAt, value: 'v' })));
  const steps = (kind: ScheduleKind) => released.filter((r) => r.kind === kind).map((r) => r.ids.length);

  it('releases a due retry before any of the 08:00 wave, and one parked mid-wave before the rest', async () => {
    await park(NIGHT, 3_000, 'ad-');
    await park(RETRY, 1, 'early-retry-');
    const subject = releaser(100_000);

    assert.equal(await subject.releaseOnce(), 1);
    assert.deepEqual(released[0], { kind: 'retry', ids: ['early-retry-0'] });
    assert.equal(await subject.releaseOnce(), 500);
    await park(RETRY, 2, 'mid-wave-retry-');
    assert.equal(await subject.releaseOnce(), 2);
    assert.deepEqual(released[2], { kind: 'retry', ids: ['mid-wave-retry-0', 'mid-wave-retry-1'] });
    while ((await subject.releaseOnce()) > 0);
    assert.deepEqual(steps('night-ad'), [500, 500, 500, 500, 500, 500], 'the wave in bounded batches');
    assert.equal(await store.count(NIGHT), 0);
  });

  it('paces the wave: one second of releases at the frozen clock, more only as the clock moves on', async () => {
    await park(NIGHT, 3_000, 'ad-');
    const subject = releaser(800);
    while ((await subject.releaseOnce()) > 0);
    assert.deepEqual(steps('night-ad'), [500, 300], 'a burst of one second at 800/s');
    now += 250;
    while ((await subject.releaseOnce()) > 0);
    assert.deepEqual(steps('night-ad'), [500, 300, 200], 'a quarter second later: 200 more');
    assert.equal(await store.count(NIGHT), 2_000);
  });

  it('leaves nothing due unreleased, and nothing before its time', async () => {
    await park(NIGHT, 10, 'ad-', AT_8_KST + 60_000);
    await park(RETRY, 10, 'retry-', AT_8_KST + 60_000);
    const subject = releaser(1_000);
    assert.equal(await subject.releaseOnce(), 0);
    now += 60_000;
    while ((await subject.releaseOnce()) > 0);
    assert.deepEqual([steps('retry'), steps('night-ad')], [[10], [10]]);
  });

  it('keeps a batch whose release failed parked, and hands it out again after its lease', async () => {
    await park(NIGHT, 5, 'ad-');
    const subject = releaser(1_000);
    failRelease = true;
    await assert.rejects(subject.releaseOnce(), /opt-out list unreadable/);
    assert.equal(await store.count(NIGHT), 5, 'still parked');
    failRelease = false;
    assert.equal(await subject.releaseOnce(), 0, 'claimed by the failed attempt until the lease lapses');
    now += 60_000;
    assert.equal(await subject.releaseOnce(), 5);
    assert.equal(await store.count(NIGHT), 0);
  });

  it('counts a failed step and keeps going once the store answers again', async () => {
    await park(RETRY, 3, 'retry-');
    const subject = releaser(1_000);
    failRelease = true;
    subject.start();
    const deadline = Date.now() + 15_000;
    while ((await metrics.count(metrics.scheduleErrors, { operation: 'release' })) === 0) {
      assert.ok(Date.now() < deadline, 'a failure was counted');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const gauge = (await metrics.scheduleWaiting.get()).values;
    assert.deepEqual(
      gauge.map((v) => [v.labels.queue, v.value]),
      [
        ['retry', 3],
        ['night-ad', 0],
      ],
      'the waiting gauge, read when the releaser started',
    );
    failRelease = false;
    now += 60_000; // the failed claim's lease lapses
    while ((await store.count(RETRY)) > 0) {
      assert.ok(Date.now() < deadline, 'released after the failure');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await subject.stop();
    assert.deepEqual(steps('retry'), [3]);
  });
});
