import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventWindow } from '../../../src/adapters/history-stats-report.ts';
import { historyStatsSql } from '../../../src/adapters/postgres/history-stats-sql.ts';
import { PostgresHistoryStats } from '../../../src/adapters/postgres/postgres-history-stats.ts';
import { PostgresHistoryStore } from '../../../src/adapters/postgres/postgres-history-store.ts';
import { SqliteHistoryStats } from '../../../src/adapters/sqlite/sqlite-history-stats.ts';
import { SqliteHistoryStore } from '../../../src/adapters/sqlite/sqlite-history-store.ts';
import type { Carrier } from '../../../src/core/domain/carrier.ts';
import type { Channel } from '../../../src/core/domain/channel.ts';
import type { StatsQuery } from '../../../src/ports/history-stats.ts';
import { STATS_GROUPINGS } from '../../../src/ports/history-stats.ts';
import type { SeedEvent, SeedMessage } from '../../contracts/history-stats-dataset.ts';
import { seedHistory } from '../../contracts/history-stats-dataset.ts';
import { ENGINE_URLS, engineSkip } from '../../support/engines.ts';
import { tempDirectory } from '../sqlite/temp-directory.ts';
import { dropSchema, sql, uniqueSchema } from './postgres-test-schema.ts';

const skip = await engineSkip('postgres');

/** A small deterministic generator (mulberry32): the same dataset on every run. */
function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function randomDataset(count: number): SeedMessage[] {
  const random = generator(11);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  const carriers: readonly Carrier[] = ['SKT', 'KT', 'LGU+', 'MVNO'];
  const channels: readonly Channel[] = ['sms', 'sms', 'lms', 'alimtalk', 'email'];
  return Array.from({ length: count }, (_, i) => {
    const vendor = pick(['nhn', 'sens', 'solapi']);
    const sentAfter = Math.floor(random() * 5_000);
    const resultAfter = sentAfter + Math.floor(random() * 120_000);
    const sent: SeedEvent = { status: 'sent', after: sentAfter, vendor };
    const outcome = random();
    let events: SeedEvent[];
    if (outcome < 0.5) {
      events = [sent, { status: 'delivered', after: resultAfter, vendor, carrier: pick(carriers) }];
    } else if (outcome < 0.65) {
      const code = pick(['3015', '3016', '4000', undefined]);
      events = [
        sent,
        {
          status: 'undelivered',
          after: resultAfter,
          vendor,
          carrier: pick(carriers),
          errorCode: 'HERALD_VENDOR_REJECTED',
          ...(code !== undefined && { resultCode: code }),
        },
      ];
    } else if (outcome < 0.75) {
      events = [
        {
          status: 'failed',
          after: sentAfter,
          vendor,
          errorCode: pick(['HERALD_VENDOR_REJECTED', 'HERALD_RECIPIENT_INVALID']),
        },
      ];
    } else if (outcome < 0.8) {
      events = [{ status: 'expired', after: 600_000, errorCode: 'HERALD_EXPIRED' }];
    } else if (outcome < 0.9) {
      events = [sent];
    } else {
      events = [{ status: pick(['queued', 'retrying', 'deferred'] as const), after: 10 }];
    }
    return { at: i * 7_000 + Math.floor(random() * 5_000), channel: pick(channels), events };
  });
}

describe('history stats: SQLite and PostgreSQL agree on one dataset', { skip }, () => {
  const schema = uniqueSchema();
  const dir = tempDirectory();
  const start = Date.UTC(2025, 8, 30, 22); // the query windows reach into October (no rows there)
  const span = 4 * 3_600_000;
  let sqlite: { history: SqliteHistoryStore; stats: SqliteHistoryStats };
  let postgres: { history: PostgresHistoryStore; stats: PostgresHistoryStats };

  before(async () => {
    const path = dir.file('history.db');
    sqlite = { history: new SqliteHistoryStore({ path }), stats: new SqliteHistoryStats({ path }) };
    postgres = {
      history: new PostgresHistoryStore({ connectionString: ENGINE_URLS.postgres, schema }),
      stats: new PostgresHistoryStats({ connectionString: ENGINE_URLS.postgres, schema }),
    };
    const dataset = randomDataset(400);
    await seedHistory(sqlite.history, start, dataset);
    await seedHistory(postgres.history, start, dataset);
  });
  after(async () => {
    await Promise.all([
      sqlite.history.close(),
      sqlite.stats.close(),
      postgres.history.close(),
      postgres.stats.close(),
    ]);
    dir.remove();
    await dropSchema(schema);
  });

  for (const by of STATS_GROUPINGS) {
    for (const channel of [undefined, 'sms', 'email'] as const) {
      it(`by ${by}, ${channel ?? 'every channel'}`, async () => {
        const query: StatsQuery = {
          from: start + 1_800_000,
          to: start + span - 600_000,
          by,
          ...(channel && { channel }),
        };
        const [embedded, production] = await Promise.all([
          sqlite.stats.stats(query),
          postgres.stats.stats(query),
        ]);
        assert.ok(embedded.totals.total > 0);
        assert.deepEqual(production, embedded);
      });
    }
  }

  it('reads only the partitions of the period asked for and of its event window', async () => {
    // September's last hour: its messages' partition and its events' (their window reaches into
    // October, which has no partition: nothing was written there), never the partitions the store
    // prepared around today's date.
    const query: StatsQuery = { from: start, to: start + 3_600_000, by: 'vendor' };
    const events = eventWindow(query);
    const plan = await sql<{ 'QUERY PLAN': string }>(`EXPLAIN ${historyStatsSql(schema, 'vendor').figures}`, [
      new Date(query.from),
      new Date(query.to),
      null,
      new Date(events.from),
      new Date(events.to),
    ]);
    const scanned = new Set(
      Array.from(
        plan
          .map((row) => row['QUERY PLAN'])
          .join('\n')
          .matchAll(/\b(messages|message_events)_p\d{4}_\d{2}\b/g),
        (m) => m[0],
      ),
    );
    assert.deepEqual([...scanned].sort(), ['message_events_p2025_09', 'messages_p2025_09']);
  });
});
