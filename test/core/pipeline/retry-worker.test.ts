import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { SqliteConfigStore } from '../../../src/adapters/sqlite/sqlite-config-store.ts';
import { SqliteScheduleStore } from '../../../src/adapters/sqlite/sqlite-schedule-store.ts';
import { SqliteTransport } from '../../../src/adapters/sqlite/sqlite-transport.ts';
import { optOutEntry } from '../../../src/core/content/ad-opt-out.ts';
import { HeraldError } from '../../../src/core/domain/errors.ts';
import type { Envelope } from '../../../src/core/domain/message.ts';
import { DEV_RECIPIENT_HASH_SECRET } from '../../../src/core/identity/recipient-privacy.ts';
import { decodeEnvelope } from '../../../src/core/pipeline/envelope-codec.ts';
import { retryRecord } from '../../../src/core/pipeline/retry-plan.ts';
import type { RetryWorker, RetryWorkerDeps } from '../../../src/core/pipeline/retry-worker.ts';
import { scheduleQueue } from '../../../src/core/pipeline/schedule-queues.ts';
import { allTopics, sendTopic } from '../../../src/core/pipeline/topics.ts';
import { HeraldMetrics } from '../../../src/observability/metrics.ts';
import type { MessageEvent } from '../../../src/ports/history-store.ts';
import { type TempDirectory, tempDirectory } from '../../adapters/sqlite/temp-directory.ts';
import { AT_8_KST, AT_23_KST, adRetryWorker, kst } from '../../support/night-ads.ts';
import { readTopic } from '../../support/read-topic.ts';

describe('RetryWorker', () => {
  let dir: TempDirectory;
  let transport: SqliteTransport;
  let schedule: SqliteScheduleStore;
  let optOuts: SqliteConfigStore;
  let events: MessageEvent[];
  let metrics: HeraldMetrics;
  let worker: RetryWorker | undefined;

  beforeEach(async () => {
    dir = tempDirectory();
    transport = new SqliteTransport({ path: dir.file('transport.db') });
    schedule = new SqliteScheduleStore({ path: dir.file('schedule.db') });
    optOuts = new SqliteConfigStore({ path: dir.file('config.db') });
    await transport.ensureTopics(allTopics().map((name) => ({ name, partitions: 2 })));
    events = [];
    metrics = new HeraldMetrics();
  });

  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
    await Promise.all([transport.close(), schedule.close(), optOuts.close()]);
    dir.remove();
  });

  async function startWorker(overrides: Partial<RetryWorkerDeps> = {}): Promise<RetryWorker> {
    worker = adRetryWorker({
      transport,
      history: { appendEvents: async (batch) => void events.push(...batch) },
      schedule,
      optOuts,
      metrics,
      ...overrides,
    });
    await worker.start();
    return worker;
  }

  function envelope(overrides: Partial<Envelope> = {}): Envelope {
    const now = Date.now();
    return {
      messageId: 'm-1',
      requestId: 'r',
      clientId: 'c',
      key: 'k-1',
      channel: 'lms',
      lane: 'ad',
      to: '01012345678',
      content: { body: 'x' },
      attempt: 2,
      expiresAt: now + 60_000,
      createdAt: now,
      ...overrides,
    };
  }

  async function until(condition: () => boolean | Promise<boolean>, what: string) {
    const deadline = Date.now() + 15_000;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  const readSendTopic = (expected: number) => readTopic(transport, sendTopic('ad', 'lms'), expected);

  it('puts a message due soon back on its lane send topic when its time comes, not before', async () => {
    await startWorker();
    const notBefore = Date.now() + 400;
    await transport.produce([retryRecord(envelope(), { notBefore, attempt: 2 })]);
    const reader = await transport.consumer({ group: 'probe', topics: [sendTopic('ad', 'lms')] });
    const records = await reader.poll(10, 5_000);
    const arrivedAt = Date.now();
    await reader.close();
    assert.equal(records.length, 1);
    assert.ok(arrivedAt >= notBefore, 'not re-dispatched early');
    const back = decodeEnvelope(records[0]!.value)!;
    assert.equal(back.attempt, 2);
    assert.equal(back.messageId, 'm-1');
    assert.equal(back.notBefore, undefined);
    assert.equal(await schedule.count(scheduleQueue('ad', 'retry')), 0, 'held in memory, never parked');
  });

  it('ends a message as expired when its expiry comes before its next attempt', async () => {
    await startWorker();
    const now = Date.now();
    await transport.produce([
      retryRecord(envelope({ expiresAt: now + 100 }), { notBefore: now + 60_000, attempt: 3 }),
    ]);
    await until(() => events.some((e) => e.status === 'expired'), 'expired');
    const expired = events.find((e) => e.status === 'expired');
    assert.equal(expired?.messageId, 'm-1');
    assert.equal(expired?.errorCode, 'HERALD_EXPIRED');
  });

  it('parks a retry due later instead of holding it, commits past it, and releases it when due', async () => {
    let now = AT_23_KST;
    const clock = { now: () => now };
    await startWorker(clock);
    const later = envelope({ expiresAt: AT_8_KST + 3_600_000 });
    await transport.produce([retryRecord(later, { notBefore: AT_23_KST + 60_000, attempt: 3 })]);
    await until(async () => (await schedule.count(scheduleQueue('ad', 'retry'))) === 1, 'parked');
    await until(() => worker!.waiting === 0, 'finished once parked');
    await worker!.stop();

    // A restarted worker finds the record committed (nothing to read again) and still parked.
    metrics = new HeraldMetrics();
    await startWorker(clock);
    now = AT_23_KST + 60_000;
    const [record, ...more] = await readSendTopic(1);
    assert.equal(more.length, 0);
    assert.deepEqual(
      [decodeEnvelope(record!.value)?.attempt, decodeEnvelope(record!.value)?.notBefore],
      [3, undefined],
    );
    assert.equal(await metrics.count(metrics.scheduleParked), 0, 'the restarted worker read nothing again');
    await until(
      async () => (await schedule.count(scheduleQueue('ad', 'retry'))) === 0,
      'removed once produced',
    );
  });

  it('parks a night ad in the night queue whatever its due time, and drops the mark when it releases it', async () => {
    let now = kst(16, 7) + 59 * 60_000 + 59_000; // 07:59:59, one second before its time
    await startWorker({ now: () => now });
    const ad = envelope({ attempt: 1, expiresAt: AT_8_KST + 3_600_000 });
    await transport.produce([retryRecord(ad, { notBefore: AT_8_KST, attempt: 1, deferredForNight: true })]);
    await until(async () => (await schedule.count(scheduleQueue('ad', 'night-ad'))) === 1, 'parked');
    now = AT_8_KST;
    const [record] = await readSendTopic(1);
    const back = decodeEnvelope(record!.value)!;
    assert.deepEqual([back.messageId, back.deferredForNight, back.notBefore], ['m-1', undefined, undefined]);
  });

  it('keeps records uncommitted while the schedule store is down, and parks them once it is back', async () => {
    let down = true;
    const flaky = {
      park: async (records: Parameters<SqliteScheduleStore['park']>[0]) => {
        if (down) throw new HeraldError('HERALD_UNAVAILABLE', 'store down', { retryable: true });
        return schedule.park(records);
      },
      claimDue: schedule.claimDue.bind(schedule),
      remove: schedule.remove.bind(schedule),
      count: schedule.count.bind(schedule),
    };
    await startWorker({ schedule: flaky, now: () => AT_23_KST });
    await transport.produce([
      retryRecord(envelope({ expiresAt: AT_8_KST }), { notBefore: AT_8_KST - 1_000, attempt: 1 }),
    ]);
    await until(
      async () => (await metrics.count(metrics.scheduleErrors, { operation: 'park' })) >= 2,
      'retried',
    );
    assert.equal(worker!.waiting, 1, 'the record waits, unfinished, on the topic');
    assert.equal(await schedule.count(scheduleQueue('ad', 'retry')), 0);
    down = false;
    await until(async () => (await schedule.count(scheduleQueue('ad', 'retry'))) === 1, 'parked');
    await until(() => worker!.waiting === 0, 'finished');
  });

  describe('a night ad at 08:00 and the opt-out list', () => {
    const phone = '01099998888';
    const deferredAd = (id: string, to = phone): Envelope =>
      envelope({ messageId: id, key: `k-${id}`, to, attempt: 1, expiresAt: AT_8_KST + 3_600_000 });

    async function parkAtNight(ads: Envelope[]) {
      await transport.produce(
        ads.map((ad) => retryRecord(ad, { notBefore: AT_8_KST, attempt: 1, deferredForNight: true })),
      );
      await until(
        async () => (await schedule.count(scheduleQueue('ad', 'night-ad'))) === ads.length,
        'parked',
      );
    }

    async function optOut(to: string) {
      const entry = optOutEntry('lms', to, DEV_RECIPIENT_HASH_SECRET);
      assert.ok(entry.ok);
      await optOuts.addOptOut('c', entry.value.scope, entry.value.recipientHash);
    }

    it('is not sent when its recipient opted out while it waited, and history says why', async () => {
      let now = AT_23_KST;
      await startWorker({ now: () => now });
      await parkAtNight([deferredAd('opted-out'), deferredAd('still-in', '01011112222')]);
      await optOut(phone); // at 23:30, say: after acceptance, before the morning
      now = AT_8_KST;
      const records = await readSendTopic(1);
      await until(() => events.some((e) => e.status === 'failed'), 'the refusal in history');
      assert.deepEqual(
        records.map((r) => decodeEnvelope(r.value)?.messageId),
        ['still-in'],
      );
      const failed = events.find((e) => e.messageId === 'opted-out');
      assert.equal(failed?.status, 'failed');
      assert.equal(failed?.errorCode, 'HERALD_RECIPIENT_OPTED_OUT');
      assert.match(failed?.errorMessage ?? '', /opted out .* while this ad waited/);
      assert.equal(await schedule.count(scheduleQueue('ad', 'night-ad')), 0);
    });

    it('fails closed: while the list cannot be read nothing is sent and the ads stay parked', async () => {
      let now = AT_23_KST;
      let listDown = true;
      const flakyList = {
        findOptOuts: async (...args: Parameters<SqliteConfigStore['findOptOuts']>) => {
          if (listDown) throw new HeraldError('HERALD_UNAVAILABLE', 'config store down', { retryable: true });
          return optOuts.findOptOuts(...args);
        },
      };
      await startWorker({ now: () => now, optOuts: flakyList });
      await parkAtNight([deferredAd('a'), deferredAd('b', '01011112222')]);
      await optOut(phone);
      now = AT_8_KST;
      await until(
        async () => (await metrics.count(metrics.scheduleErrors, { operation: 'release' })) >= 1,
        'a failed release',
      );
      assert.equal(await schedule.count(scheduleQueue('ad', 'night-ad')), 2, 'still parked');
      assert.equal(await metrics.count(metrics.scheduleReleased), 0, 'nothing released unchecked');
      listDown = false;
      now = AT_8_KST + 60_000; // the failed claim's lease lapses
      const records = await readSendTopic(1);
      assert.deepEqual(
        records.map((r) => decodeEnvelope(r.value)?.messageId),
        ['b'],
      );
      await until(() => events.some((e) => e.messageId === 'a' && e.status === 'failed'), 'a refused');
    });
  });
});
