import assert from 'node:assert/strict';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import { PostgresScheduleStore } from '../../src/adapters/postgres/postgres-schedule-store.ts';
import { SqliteConfigStore } from '../../src/adapters/sqlite/sqlite-config-store.ts';
import { SqliteScheduleStore } from '../../src/adapters/sqlite/sqlite-schedule-store.ts';
import { SqliteTransport } from '../../src/adapters/sqlite/sqlite-transport.ts';
import { decodeEnvelope } from '../../src/core/pipeline/envelope-codec.ts';
import { retryRecord } from '../../src/core/pipeline/retry-plan.ts';
import { scheduleQueue } from '../../src/core/pipeline/schedule-queues.ts';
import { allTopics } from '../../src/core/pipeline/topics.ts';
import type { ScheduleStore } from '../../src/ports/schedule-store.ts';
import type { OutgoingRecord } from '../../src/ports/transport.ts';
import { dropSchema, uniqueSchema } from '../adapters/postgres/postgres-test-schema.ts';
import { type TempDirectory, tempDirectory } from '../adapters/sqlite/temp-directory.ts';
import { ENGINE_URLS, engineSkip } from '../support/engines.ts';
import { waitFor } from '../support/herald-harness.ts';
import { AT_8_KST, AT_23_KST, adRetryWorker, campaignAd, deferredAdRecords } from '../support/night-ads.ts';

// Asked before any test starts: the sqlite run's synchronous writes would starve the probe.
const postgresSkip = await engineSkip('postgres');
const ADS = 100_000;
/** Far below ADS: the retry worker may hold this many records in memory, and no more. */
const MAX_WAITING = 2_000;
const NIGHT = scheduleQueue('ad', 'night-ad');
const RETRY = scheduleQueue('ad', 'retry');

/**
 * Item 8's promise: 100,000 ads deferred at 23:00 KST wait durably (a retry worker that may hold
 * only 2,000 in memory parks them all), survive a restart of the worker and of the store, and are
 * all released at 08:00, in bounded batches, with an ordinary retry due at 08:00 released before
 * the wave. The clock is injected; assertions count records and order, never time.
 */
function describeNightWave(
  name: string,
  openStore: (dir: TempDirectory) => ScheduleStore,
  skip: string | false = false,
) {
  describe(`100,000 deferred ads across a restart (${name} schedule store)`, { skip }, () => {
    let dir: TempDirectory;
    let transport: SqliteTransport;
    let optOuts: SqliteConfigStore;
    const closing: { close?: () => Promise<void>; stop?: () => Promise<void> }[] = [];

    beforeEach(async () => {
      dir = tempDirectory();
      transport = new SqliteTransport({ path: dir.file('transport.db') });
      optOuts = new SqliteConfigStore({ path: dir.file('config.db') });
      await transport.ensureTopics(allTopics().map((topic) => ({ name: topic, partitions: 4 })));
    });
    afterEach(async () => {
      for (const item of closing.splice(0).reverse()) await (item.stop ?? item.close)!.call(item);
      await Promise.all([transport.close(), optOuts.close()]);
      dir.remove();
    });

    async function startWorker(store: ScheduleStore, now: number, produced?: OutgoingRecord[][]) {
      const worker = adRetryWorker({
        transport: {
          consumer: (options) => transport.consumer(options),
          produce: async (records) => {
            await transport.produce(records);
            produced?.push([...records]);
          },
        },
        schedule: store,
        optOuts,
        now: () => now,
        maxWaiting: MAX_WAITING,
        nightAdsPerSecond: 1_000_000,
      });
      closing.push(worker);
      await worker.start();
      return worker;
    }

    it('parks them all, keeps them through a restart, and releases them at 08:00 after the due retry', async () => {
      const night = openStore(dir);
      closing.push(night);
      const records = deferredAdRecords(ADS);
      for (let i = 0; i < ADS; i += 10_000) await transport.produce(records.slice(i, i + 10_000));
      // An ordinary retry, failed at 23:00 and due at 08:00 too: it must not wait behind the wave.
      const retry = campaignAd(ADS, { messageId: 'retry-due-at-8', key: 'key-retry', attempt: 2 });
      await transport.produce([retryRecord(retry, { notBefore: AT_8_KST, attempt: 2 })]);

      const worker = await startWorker(night, AT_23_KST);
      await waitFor(async () => (await night.count(NIGHT)) === ADS, 120_000, `${ADS} parked`);
      await waitFor(
        async () => worker.waiting === 0 && (await night.count(RETRY)) === 1,
        30_000,
        'all parked',
      );
      await worker.stop();
      await night.close();

      const morning = openStore(dir);
      closing.push(morning);
      assert.equal(await morning.count(NIGHT), ADS, 'every deferred ad is still there after the restart');
      assert.equal(await morning.count(RETRY), 1);
      const produced: OutgoingRecord[][] = [];
      await startWorker(morning, AT_8_KST, produced);
      await waitFor(
        async () => (await morning.count(NIGHT)) + (await morning.count(RETRY)) === 0,
        120_000,
        'released',
      );

      const ids = produced.map((batch) => batch.map((record) => decodeEnvelope(record.value)!.messageId));
      assert.deepEqual(ids[0], ['retry-due-at-8'], 'the retry leaves first, in a batch of its own');
      assert.equal(new Set(ids.flat()).size, ADS + 1, 'every ad and the retry went back to the ad lane');
      assert.ok(
        produced.every((batch) => batch.length <= 500),
        'released in bounded batches',
      );
      assert.ok(
        produced.every((batch) => batch.every((record) => record.topic === 'herald.ad.lms')),
        'onto their send topic',
      );
    });
  });
}

describeNightWave('sqlite', (dir) => new SqliteScheduleStore({ path: dir.file('schedule.db') }));

const schema = uniqueSchema();
describeNightWave(
  'postgres',
  () => new PostgresScheduleStore({ connectionString: ENGINE_URLS.postgres, schema }),
  postgresSkip,
);
after(() => dropSchema(schema));
