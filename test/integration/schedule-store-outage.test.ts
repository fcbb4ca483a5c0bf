import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { PostgresScheduleStore } from '../../src/adapters/postgres/postgres-schedule-store.ts';
import { SqliteConfigStore } from '../../src/adapters/sqlite/sqlite-config-store.ts';
import { SqliteTransport } from '../../src/adapters/sqlite/sqlite-transport.ts';
import { decodeEnvelope } from '../../src/core/pipeline/envelope-codec.ts';
import { scheduleQueue } from '../../src/core/pipeline/schedule-queues.ts';
import { allTopics, sendTopic } from '../../src/core/pipeline/topics.ts';
import { HeraldMetrics } from '../../src/observability/metrics.ts';
import { dropSchema, uniqueSchema } from '../adapters/postgres/postgres-test-schema.ts';
import { tempDirectory } from '../adapters/sqlite/temp-directory.ts';
import { ENGINE_URLS, engineSkip } from '../support/engines.ts';
import { waitFor } from '../support/herald-harness.ts';
import { AT_8_KST, AT_23_KST, adRetryWorker, deferredAdRecords } from '../support/night-ads.ts';
import { readTopic } from '../support/read-topic.ts';
import { TcpProxy } from '../support/tcp-proxy.ts';

const NIGHT = scheduleQueue('ad', 'night-ad');
const ADS = 300;

/**
 * The schedule store's PostgreSQL goes away (a proxy in front of the shared server is cut) while a
 * retry worker has night ads to park: they stay on the retry topic, uncommitted, the failures are
 * counted and the store reports unhealthy; once PostgreSQL is back every ad is parked, and at 08:00
 * every one is released. Nothing is lost.
 */
describe('schedule store outage (PostgreSQL)', { skip: await engineSkip('postgres') }, () => {
  const schema = uniqueSchema();
  const dir = tempDirectory();
  after(async () => {
    await dropSchema(schema);
    dir.remove();
  });

  it('keeps the records on the topic while PostgreSQL is away, and parks and releases them all after', async () => {
    const target = new URL(ENGINE_URLS.postgres);
    const proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port) });
    target.host = `127.0.0.1:${proxy.port}`;
    const schedule = new PostgresScheduleStore({ connectionString: target.toString(), schema });
    const transport = new SqliteTransport({ path: dir.file('transport.db') });
    const optOuts = new SqliteConfigStore({ path: dir.file('config.db') });
    await transport.ensureTopics(allTopics().map((name) => ({ name, partitions: 2 })));
    await schedule.count(NIGHT); // the schema exists before the outage
    const metrics = new HeraldMetrics();
    let now = AT_23_KST;
    const worker = adRetryWorker({ transport, schedule, optOuts, metrics, now: () => now });
    try {
      await worker.start();
      await proxy.cut();
      await transport.produce(deferredAdRecords(ADS));
      await waitFor(
        async () => (await metrics.count(metrics.scheduleErrors, { operation: 'park' })) >= 3,
        30_000,
        'parking tried and failed',
      );
      assert.equal(worker.waiting, ADS, 'every record waits on the topic, unfinished');
      assert.equal(await schedule.healthy(), false);

      await proxy.restore();
      await waitFor(
        async () => (await schedule.count(NIGHT)) === ADS && worker.waiting === 0,
        30_000,
        'parked',
      );
      now = AT_8_KST;
      await waitFor(async () => (await schedule.count(NIGHT)) === 0, 30_000, 'released');
      const sent = await readTopic(transport, sendTopic('ad', 'lms'), ADS);
      assert.equal(new Set(sent.map((r) => decodeEnvelope(r.value)?.messageId)).size, ADS, 'none lost');
    } finally {
      await worker.stop();
      await Promise.all([schedule.close(), transport.close(), optOuts.close(), proxy.cut()]);
    }
  });
});
