import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SqliteHistoryStats } from '../../src/adapters/sqlite/sqlite-history-stats.ts';
import { SqliteHistoryStore } from '../../src/adapters/sqlite/sqlite-history-store.ts';
import { tempDirectory } from '../adapters/sqlite/temp-directory.ts';
import { STATS_DATASET, seedHistory } from '../contracts/history-stats-dataset.ts';
import { ADMIN_KEY, auth, buildTestApp, CLIENT_KEY, type TestApp } from './test-app.ts';

/** 2026-06-10T09:00:00+09:00: the seeded hour starts here. */
const START = Date.UTC(2026, 5, 10, 0);
const FROM = '2026-06-10T09:00:00+09:00';
const TO = '2026-06-10T10:00:00+09:00';

describe('GET /admin/stats', () => {
  const dir = tempDirectory();
  const path = dir.file('history.db');
  const history = new SqliteHistoryStore({ path });
  const stats = new SqliteHistoryStats({ path });
  let t: TestApp;

  before(async () => {
    await seedHistory(history, START, STATS_DATASET);
    t = await buildTestApp({ stats });
  });
  after(async () => {
    await t.app.close();
    await Promise.all([history.close(), stats.close()]);
    dir.remove();
  });

  async function get(query: string, key = ADMIN_KEY) {
    const response = await t.app.inject({ method: 'GET', url: `/admin/stats?${query}`, headers: auth(key) });
    return { status: response.statusCode, body: response.json() };
  }

  it('answers per vendor by default, with the period in UTC, exact counts, ratio and percentiles', async () => {
    const { status, body } = await get(
      `from=${encodeURIComponent(FROM)}&to=${encodeURIComponent(TO)}&channel=sms`,
    );
    assert.equal(status, 200);
    assert.equal(body.from, '2026-06-10T00:00:00.000Z');
    assert.equal(body.to, '2026-06-10T01:00:00.000Z');
    assert.equal(body.channel, 'sms');
    assert.equal(body.by, 'vendor');
    assert.deepEqual(
      body.groups.map((g: { key: string; total: number }) => [g.key, g.total]),
      [
        ['nhn', 6],
        ['none', 4],
        ['sens', 3],
      ],
    );
    const nhn = body.groups[0];
    assert.equal(nhn.deliveredRatio, 0.5);
    assert.deepEqual(nhn.sendLatencyMs, { count: 6, p50: 350, p90: 750, p99: 795 });
    assert.deepEqual(nhn.deliveryLatencyMs, { count: 3, p50: 2_000, p90: 2_800, p99: 2_980 });
    assert.deepEqual(nhn.topFailureCodes, [
      { code: '3015', count: 2 },
      { code: 'HERALD_KAKAO_UNDELIVERED', count: 1 },
    ]);
    assert.equal(body.groups[1].deliveredRatio, null);
    assert.equal(body.groups[1].sendLatencyMs, null);
    assert.equal(body.groupsLeftOff, 0);
    assert.equal(body.totals.total, 13);
    assert.equal(body.totals.deliveredRatio, 4 / 7);
    assert.deepEqual(body.totals.statuses, {
      sent: 1,
      delivered: 4,
      undelivered: 3,
      failed: 1,
      expired: 1,
      deferred: 1,
      duplicate: 1,
      expanded: 0,
      inFlight: 1,
    });
  });

  it('by carrier and by code', async () => {
    const range = `from=${encodeURIComponent(FROM)}&to=${encodeURIComponent(TO)}&channel=sms`;
    const carrier = await get(`${range}&by=carrier`);
    assert.equal(carrier.status, 200);
    assert.deepEqual(
      carrier.body.groups.map((g: { key: string; total: number; deliveredRatio: number | null }) => [
        g.key,
        g.total,
        g.deliveredRatio,
      ]),
      [
        ['unknown', 7, 0],
        ['SKT', 3, 2 / 3],
        ['KT', 2, 0.5],
        ['LGU+', 1, 1],
      ],
    );
    assert.deepEqual(carrier.body.groups[1].deliveryLatencyMs, {
      count: 2,
      p50: 2_000,
      p90: 2_800,
      p99: 2_980,
    });
    const code = await get(`${range}&by=code`);
    assert.equal(code.status, 200);
    assert.deepEqual(
      code.body.groups.map((g: { key: string; total: number }) => [g.key, g.total]),
      [
        ['none', 8],
        ['3015', 2],
        ['HERALD_EXPIRED', 1],
        ['HERALD_KAKAO_UNDELIVERED', 1],
        ['HERALD_VENDOR_REJECTED', 1],
      ],
    );
    assert.deepEqual(code.body.groups[1].sendLatencyMs, { count: 2, p50: 550, p90: 670, p99: 697 });
  });

  it('reads a zone typed unencoded into the URL (+ arrives as a space) as the + it was', async () => {
    const { status, body } = await get(`from=${FROM}&to=${TO}&channel=sms`);
    assert.equal(status, 200);
    assert.equal(body.from, '2026-06-10T00:00:00.000Z');
    assert.equal(body.totals.total, 13);
  });

  it('counts every channel without channel=, and takes UTC times too', async () => {
    const { status, body } = await get('from=2026-06-10T00:00:00Z&to=2026-06-10T01:00:00.000Z');
    assert.equal(status, 200);
    assert.equal(body.channel, null);
    assert.equal(body.totals.total, 14);
  });

  const refusals: [string, string, string, RegExp][] = [
    ['from missing', `to=${TO}`, 'HERALD_STATS_RANGE_INVALID', /from is required/],
    ['to missing', 'from=2026-06-10T00:00:00Z', 'HERALD_STATS_RANGE_INVALID', /to is required/],
    [
      'no zone',
      'from=2026-06-10T00:00:00&to=2026-06-10T01:00:00Z',
      'HERALD_STATS_RANGE_INVALID',
      /with a zone/,
    ],
    ['epoch ms', 'from=1780000000000&to=1780003600000', 'HERALD_STATS_RANGE_INVALID', /ISO-8601/],
    [
      'a day that does not exist',
      'from=2026-02-30T00:00:00Z&to=2026-03-03T00:00:00Z',
      'HERALD_STATS_RANGE_INVALID',
      /exists/,
    ],
    [
      'to before from',
      'from=2026-06-10T01:00:00Z&to=2026-06-10T00:00:00Z',
      'HERALD_STATS_RANGE_INVALID',
      /after from/,
    ],
    [
      'to equal to from',
      'from=2026-06-10T01:00:00Z&to=2026-06-10T01:00:00Z',
      'HERALD_STATS_RANGE_INVALID',
      /after from/,
    ],
    [
      'over 31 days',
      'from=2026-06-01T00:00:00Z&to=2026-07-02T00:00:01Z',
      'HERALD_STATS_RANGE_INVALID',
      /31 days/,
    ],
    [
      'from twice',
      'from=2026-06-10T00:00:00Z&from=2026-06-10T00:00:00Z&to=2026-06-11T00:00:00Z',
      'HERALD_STATS_RANGE_INVALID',
      /once/,
    ],
    [
      'unknown channel',
      'from=2026-06-10T00:00:00Z&to=2026-06-11T00:00:00Z&channel=fax',
      'HERALD_UNKNOWN_CHANNEL',
      /channel must be one of push/,
    ],
    [
      'unknown grouping',
      'from=2026-06-10T00:00:00Z&to=2026-06-11T00:00:00Z&by=lane',
      'HERALD_STATS_GROUPING_INVALID',
      /by must be one of vendor, carrier, code/,
    ],
  ];
  for (const [what, query, code, message] of refusals) {
    it(`refuses ${what} with ${code}`, async () => {
      const { status, body } = await get(query.replaceAll('+', '%2B'));
      assert.equal(status, 400);
      assert.equal(body.error.code, code);
      assert.match(body.error.message, message);
    });
  }

  it('takes exactly 31 days', async () => {
    const { status } = await get('from=2026-06-01T00:00:00Z&to=2026-07-02T00:00:00Z');
    assert.equal(status, 200);
  });

  it('is for admin keys only', async () => {
    const { status, body } = await get('from=2026-06-10T00:00:00Z&to=2026-06-11T00:00:00Z', CLIENT_KEY);
    assert.equal(status, 403);
    assert.equal(body.error.code, 'HERALD_FORBIDDEN');
    const anonymous = await t.app.inject({
      method: 'GET',
      url: '/admin/stats?from=2026-06-10T00:00:00Z&to=2026-06-11T00:00:00Z',
    });
    assert.equal(anonymous.statusCode, 401);
  });

  it('is documented in the OpenAPI document, query and answer', async () => {
    const document = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const operation = document.paths['/admin/stats']?.get;
    assert.ok(operation, 'GET /admin/stats is documented');
    const parameters = operation.parameters.map((p: { name: string; required?: boolean }) => [
      p.name,
      p.required ?? false,
    ]);
    assert.deepEqual(parameters.sort(), [
      ['by', false],
      ['channel', false],
      ['from', true],
      ['to', true],
    ]);
    assert.ok(operation.responses['200'].content['application/json'].schema.properties.totals);
  });
});
