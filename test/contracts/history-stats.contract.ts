import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { HistoryStats, StatsFigures, StatsReport } from '../../src/ports/history-stats.ts';
import { MAX_STATS_GROUPS, TOP_FAILURE_CODES } from '../../src/ports/history-stats.ts';
import type { HistoryStore } from '../../src/ports/history-store.ts';
import type { ContractFactory } from './contract-helpers.ts';
import { DATASET_SPAN_MS, type SeedMessage, STATS_DATASET, seedHistory } from './history-stats-dataset.ts';

/** A history store and the stats adapter reading what it writes. */
export interface StatsSubject {
  readonly history: HistoryStore;
  readonly stats: HistoryStats;
}

const NO_STATUSES = {
  sent: 0,
  delivered: 0,
  undelivered: 0,
  failed: 0,
  expired: 0,
  deferred: 0,
  duplicate: 0,
  expanded: 0,
  inFlight: 0,
};

/** Each test seeds its own day, so adapters sharing a database (one PostgreSQL schema) never mix tests' rows. */
let day = 0;
function nextStart(): number {
  day += 2;
  return Date.UTC(2025, 6, 1) + day * 86_400_000;
}

function group(report: StatsReport, key: string): StatsFigures {
  const found = report.groups.find((g) => g.key === key);
  assert.ok(found, `no group ${key} in ${report.groups.map((g) => g.key).join(', ')}`);
  const { key: _key, ...figures } = found;
  return figures;
}

/** The figures of docs/stats.md over history, the same whatever database holds it. */
export function describeHistoryStatsContract(name: string, makeSubject: ContractFactory<StatsSubject>): void {
  describe(`${name} history stats contract`, () => {
    let subject: StatsSubject;
    let cleanup: () => Promise<void>;
    let start: number;

    beforeEach(async () => {
      ({ store: subject, cleanup } = await makeSubject());
      start = nextStart();
    });
    afterEach(async () => cleanup());

    async function seeded(messages: readonly SeedMessage[] = STATS_DATASET): Promise<void> {
      await seedHistory(subject.history, start, messages);
    }

    it('answers zeros and nulls over a period without messages', async () => {
      const report = await subject.stats.stats({ from: start, to: start + DATASET_SPAN_MS, by: 'vendor' });
      assert.deepEqual(report, {
        groups: [],
        groupsLeftOff: 0,
        totals: {
          total: 0,
          statuses: NO_STATUSES,
          deliveredRatio: null,
          sendLatencyMs: null,
          deliveryLatencyMs: null,
          topFailureCodes: [],
        },
      });
    });

    it('by vendor: counts, delivered ratio, latency percentiles and failure codes per vendor', async () => {
      await seeded();
      const report = await subject.stats.stats({
        from: start,
        to: start + DATASET_SPAN_MS,
        channel: 'sms',
        by: 'vendor',
      });
      assert.deepEqual(
        report.groups.map((g) => [g.key, g.total]),
        [
          ['nhn', 6],
          ['none', 4],
          ['sens', 3],
        ],
      );
      assert.deepEqual(group(report, 'nhn'), {
        total: 6,
        statuses: { ...NO_STATUSES, delivered: 3, undelivered: 3 },
        deliveredRatio: 0.5,
        sendLatencyMs: { count: 6, p50: 350, p90: 750, p99: 795 },
        deliveryLatencyMs: { count: 3, p50: 2_000, p90: 2_800, p99: 2_980 },
        topFailureCodes: [
          { code: '3015', count: 2 },
          { code: 'HERALD_KAKAO_UNDELIVERED', count: 1 },
        ],
      });
      assert.deepEqual(group(report, 'sens'), {
        total: 3,
        statuses: { ...NO_STATUSES, sent: 1, delivered: 1, failed: 1 },
        deliveredRatio: 1,
        sendLatencyMs: { count: 2, p50: 550, p90: 590, p99: 599 },
        deliveryLatencyMs: { count: 1, p50: 1_000, p90: 1_000, p99: 1_000 },
        topFailureCodes: [{ code: 'HERALD_VENDOR_REJECTED', count: 1 }],
      });
      assert.deepEqual(group(report, 'none'), {
        total: 4,
        statuses: { ...NO_STATUSES, expired: 1, deferred: 1, duplicate: 1, inFlight: 1 },
        deliveredRatio: null,
        sendLatencyMs: null,
        deliveryLatencyMs: null,
        topFailureCodes: [{ code: 'HERALD_EXPIRED', count: 1 }],
      });
      assert.equal(report.groupsLeftOff, 0);
      assert.deepEqual(report.totals, {
        total: 13,
        statuses: {
          sent: 1,
          delivered: 4,
          undelivered: 3,
          failed: 1,
          expired: 1,
          deferred: 1,
          duplicate: 1,
          expanded: 0,
          inFlight: 1,
        },
        deliveredRatio: 4 / 7,
        sendLatencyMs: { count: 8, p50: 450, p90: 730, p99: 793 },
        deliveryLatencyMs: { count: 4, p50: 1_500, p90: 2_700, p99: 2_970 },
        topFailureCodes: [
          { code: '3015', count: 2 },
          { code: 'HERALD_EXPIRED', count: 1 },
          { code: 'HERALD_KAKAO_UNDELIVERED', count: 1 },
          { code: 'HERALD_VENDOR_REJECTED', count: 1 },
        ],
      });
    });

    it('by carrier: the network of the delivery result, unknown without one', async () => {
      await seeded();
      const report = await subject.stats.stats({
        from: start,
        to: start + DATASET_SPAN_MS,
        channel: 'sms',
        by: 'carrier',
      });
      assert.deepEqual(
        report.groups.map((g) => [g.key, g.total]),
        [
          ['unknown', 7],
          ['SKT', 3],
          ['KT', 2],
          ['LGU+', 1],
        ],
      );
      assert.deepEqual(group(report, 'SKT'), {
        total: 3,
        statuses: { ...NO_STATUSES, delivered: 2, undelivered: 1 },
        deliveredRatio: 2 / 3,
        sendLatencyMs: { count: 3, p50: 300, p90: 380, p99: 398 },
        deliveryLatencyMs: { count: 2, p50: 2_000, p90: 2_800, p99: 2_980 },
        topFailureCodes: [{ code: '3015', count: 1 }],
      });
      assert.deepEqual(group(report, 'KT'), {
        total: 2,
        statuses: { ...NO_STATUSES, delivered: 1, undelivered: 1 },
        deliveredRatio: 0.5,
        sendLatencyMs: { count: 2, p50: 450, p90: 650, p99: 695 },
        deliveryLatencyMs: { count: 1, p50: 2_000, p90: 2_000, p99: 2_000 },
        topFailureCodes: [{ code: '3015', count: 1 }],
      });
      assert.deepEqual(group(report, 'unknown'), {
        total: 7,
        statuses: {
          ...NO_STATUSES,
          sent: 1,
          undelivered: 1,
          failed: 1,
          expired: 1,
          deferred: 1,
          duplicate: 1,
          inFlight: 1,
        },
        deliveredRatio: 0,
        sendLatencyMs: { count: 2, p50: 700, p90: 780, p99: 798 },
        deliveryLatencyMs: null,
        topFailureCodes: [
          { code: 'HERALD_EXPIRED', count: 1 },
          { code: 'HERALD_KAKAO_UNDELIVERED', count: 1 },
          { code: 'HERALD_VENDOR_REJECTED', count: 1 },
        ],
      });
      assert.equal(report.totals.total, 13);
    });

    it('by code: the vendor result code of undelivered messages, the error code of failed and expired ones', async () => {
      await seeded();
      const report = await subject.stats.stats({
        from: start,
        to: start + DATASET_SPAN_MS,
        channel: 'sms',
        by: 'code',
      });
      assert.deepEqual(
        report.groups.map((g) => [g.key, g.total]),
        [
          ['none', 8],
          ['3015', 2],
          ['HERALD_EXPIRED', 1],
          ['HERALD_KAKAO_UNDELIVERED', 1],
          ['HERALD_VENDOR_REJECTED', 1],
        ],
      );
      assert.deepEqual(group(report, '3015'), {
        total: 2,
        statuses: { ...NO_STATUSES, undelivered: 2 },
        deliveredRatio: 0,
        sendLatencyMs: { count: 2, p50: 550, p90: 670, p99: 697 },
        deliveryLatencyMs: null,
        topFailureCodes: [{ code: '3015', count: 2 }],
      });
      assert.deepEqual(group(report, 'none').statuses, {
        ...NO_STATUSES,
        sent: 1,
        delivered: 4,
        deferred: 1,
        duplicate: 1,
        inFlight: 1,
      });
      assert.deepEqual(group(report, 'none').topFailureCodes, []);
    });

    it('counts every channel when none is given, and only messages created inside [from, to)', async () => {
      await seeded();
      const report = await subject.stats.stats({ from: start, to: start + DATASET_SPAN_MS, by: 'vendor' });
      assert.deepEqual(
        report.groups.map((g) => [g.key, g.total]),
        [
          ['nhn', 6],
          ['none', 4],
          ['sens', 3],
          ['ses', 1],
        ],
      );
      assert.equal(report.totals.total, 14);
      const email = await subject.stats.stats({
        from: start,
        to: start + DATASET_SPAN_MS,
        channel: 'email',
        by: 'vendor',
      });
      assert.deepEqual(
        email.groups.map((g) => [g.key, g.total, g.statuses.sent]),
        [['ses', 1, 1]],
      );
      const edges = await subject.stats.stats({
        from: start - 1,
        to: start + DATASET_SPAN_MS + 1,
        by: 'vendor',
      });
      assert.equal(edges.totals.total, 16);
    });

    it('takes the first sent and delivered events for latency, and a repeated receipt changes nothing', async () => {
      await seeded([
        {
          at: 0,
          events: [
            { status: 'sent', after: 100, vendor: 'nhn' },
            { status: 'delivered', after: 400, vendor: 'nhn', carrier: 'KT' },
            { status: 'delivered', after: 9_000, vendor: 'nhn', carrier: 'KT' },
          ],
        },
      ]);
      const report = await subject.stats.stats({ from: start, to: start + DATASET_SPAN_MS, by: 'carrier' });
      assert.deepEqual(report.totals.sendLatencyMs, { count: 1, p50: 100, p90: 100, p99: 100 });
      assert.deepEqual(report.totals.deliveryLatencyMs, { count: 1, p50: 300, p90: 300, p99: 300 });
      assert.equal(report.totals.statuses.delivered, 1);
    });

    it('keeps at most TOP_FAILURE_CODES codes per group, most frequent first', async () => {
      const codes = Array.from({ length: TOP_FAILURE_CODES + 2 }, (_, i) => `E${String(i).padStart(2, '0')}`);
      await seeded(
        codes.flatMap((code, i) =>
          // E00 once, E01 twice...: the least frequent two fall off
          Array.from({ length: i + 1 }, (_, n) => ({
            at: i * 100 + n,
            events: [{ status: 'failed' as const, after: 1, vendor: 'nhn', errorCode: code }],
          })),
        ),
      );
      const report = await subject.stats.stats({ from: start, to: start + DATASET_SPAN_MS, by: 'vendor' });
      const top = group(report, 'nhn').topFailureCodes;
      assert.equal(top.length, TOP_FAILURE_CODES);
      assert.deepEqual(top[0], { code: codes.at(-1), count: codes.length });
      assert.ok(!top.some((entry) => entry.code === 'E00' || entry.code === 'E01'));
      assert.ok(MAX_STATS_GROUPS >= TOP_FAILURE_CODES);
    });
  });
}
