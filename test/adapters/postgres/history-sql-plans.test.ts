import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { PENDING_FOLD_MS } from '../../../src/adapters/history-log-plan.ts';
import { foldEvents } from '../../../src/adapters/postgres/event-fold.ts';
import { eventParams, historySql } from '../../../src/adapters/postgres/history-sql.ts';
import { PostgresHistoryStore } from '../../../src/adapters/postgres/postgres-history-store.ts';
import type { MessageEvent } from '../../../src/ports/history-store.ts';
import { ENGINE_URLS, engineSkip } from '../../support/engines.ts';
import { dropSchema, sql, uniqueSchema } from './postgres-test-schema.ts';

const skip = await engineSkip('postgres');

/** Rows in this month's partitions: enough that reading them all costs far more than probing. */
const ROWS = 30_000;

interface ExplainedPlan {
  readonly Plan: PlanNode;
  readonly JIT?: unknown;
}

interface PlanNode {
  readonly 'Node Type': string;
  readonly 'Relation Name'?: string;
  readonly 'Plan Rows': number;
  readonly Plans?: readonly PlanNode[];
}

/** Every table a plan reads whole, with the rows the planner expected there. */
function sequentialScans(node: PlanNode): { table: string; rows: number }[] {
  const own =
    node['Node Type'] === 'Seq Scan' && node['Relation Name'] !== undefined
      ? [{ table: node['Relation Name'], rows: node['Plan Rows'] }]
      : [];
  return [...own, ...(node.Plans ?? []).flatMap(sequentialScans)];
}

/**
 * The history store's statements on a partition filled faster than autovacuum analyses it (a
 * flood, the first days of a month): with no statistics, PostgreSQL guesses 1/200 of the rows
 * per message id, and a statement that joined on message_id was planned as a sequential scan of
 * the whole partition. Every stretch of the history writer then read every row of the month. Each
 * statement here must find its rows by index, whatever the statistics.
 */
describe('history SQL plans on a partition without statistics', { skip }, () => {
  const schema = uniqueSchema();
  const statements = historySql(schema);
  const q = (table: string) => `"${schema}".${table}`;
  let store: PostgresHistoryStore;

  before(async () => {
    store = new PostgresHistoryStore({ connectionString: ENGINE_URLS.postgres, schema });
    const now = Date.now();
    // The store makes this month's partitions on its first write.
    await store.recordAccepted({
      requestId: 'req-first',
      clientId: 'client-1',
      lane: 'batch',
      channel: 'sms',
      acceptedAt: now,
      messages: [],
      duplicates: [],
    });
    const partitions = await sql<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace n ON n.oid = p.relnamespace
       WHERE n.nspname = $1 AND c.relkind = 'r'`,
      [schema],
    );
    // No autovacuum: the statistics stay missing, as during a flood.
    for (const { name } of partitions) await sql(`ALTER TABLE ${q(name)} SET (autovacuum_enabled = false)`);
    await sql(
      `INSERT INTO ${q('messages')} (message_id, request_id, client_id, message_key, channel, lane,
         recipient_masked, recipient_hash, status, vendor, attempts, created_at, updated_at)
       SELECT 'msg-' || i, 'req-' || (i / 100), 'client-1', 'key-' || i, 'sms', 'batch', '010****5678',
         'hash-' || i, 'sent', 'nhn-sms', 1, now(), now()
       FROM generate_series(1, ${ROWS}) AS i`,
    );
    await sql(
      `INSERT INTO ${q('request_messages')} (request_id, message_index, message_id, duplicate, accepted_at)
       SELECT 'req-' || (i / 100), i % 100, 'msg-' || i, false, now() FROM generate_series(1, ${ROWS}) AS i`,
    );
    await sql(
      `INSERT INTO ${q('message_events')} (message_id, status, at)
       SELECT 'msg-' || i, s, now() FROM generate_series(1, ${ROWS}) AS i, unnest(ARRAY['queued', 'sent']) AS s`,
    );
    await sql(`INSERT INTO ${q('pending_folds')} (message_id, noted_at) VALUES ('msg-7', now())`);
  });

  after(async () => {
    await store?.close();
    await dropSchema(schema);
  });

  /**
   * The statement's plan as the store runs it: in a stretch's transaction (after its settings) or
   * on its own. JIT is made to look worth it for any plan, so a plan that shows it would use it.
   */
  async function planOf(text: string, values: unknown[], inStretch: boolean): Promise<ExplainedPlan> {
    const client = new Client({ connectionString: ENGINE_URLS.postgres });
    await client.connect();
    try {
      await client.query('BEGIN; SET LOCAL jit_above_cost = 0');
      if (inStretch) await client.query(statements.stretchSettings);
      const { rows } = await client.query<{ 'QUERY PLAN': [ExplainedPlan] }>(
        `EXPLAIN (FORMAT JSON) ${text}`,
        values,
      );
      return rows[0]!['QUERY PLAN'][0];
    } finally {
      await client.query('ROLLBACK');
      await client.end();
    }
  }

  /** The plan's sequential scans of history tables the planner expects more than a few rows in. */
  async function largeScans(
    text: string,
    values: unknown[],
    inStretch: boolean,
  ): Promise<{ table: string; rows: number }[]> {
    const { Plan } = await planOf(text, values, inStretch);
    // pending_folds is read whole on purpose: it holds a handful of rows, if any.
    return sequentialScans(Plan).filter((scan) => scan.rows > 1_000 && scan.table !== 'pending_folds');
  }

  it('has no statistics on the filled partition (else this test would prove nothing)', async () => {
    const stats = await sql(`SELECT 1 FROM pg_stats WHERE schemaname = $1 AND attname = 'message_id'`, [
      schema,
    ]);
    assert.equal(stats.length, 0);
  });

  it("appendEvents: a stretch's events move their rows by index probes", async () => {
    const events: MessageEvent[] = Array.from({ length: 300 }, (_, i) => ({
      messageId: `msg-${i * 97 + 1}`,
      status: 'delivered',
      at: Date.now(),
      vendor: 'nhn-sms',
    }));
    assert.deepEqual(
      await largeScans(statements.appendEvents, eventParams(events, foldEvents(events)), true),
      [],
    );
  });

  it('compiles nothing with JIT in a stretch, however costly a plan looks without statistics', async () => {
    const events: MessageEvent[] = [
      { messageId: 'msg-9', status: 'sent', at: Date.now(), vendor: 'nhn-sms' },
    ];
    const plan = await planOf(statements.appendEvents, eventParams(events, foldEvents(events)), true);
    assert.equal(plan.JIT, undefined);
    // Outside a stretch the same plan would be compiled, where this PostgreSQL has JIT at all.
    const [jit] = await sql<{ available: boolean }>('SELECT pg_jit_available() AS available');
    const outside = await planOf(statements.appendEvents, eventParams(events, foldEvents(events)), false);
    assert.equal(outside.JIT !== undefined, jit!.available);
  });

  it('takeReadyFolds: the waiting messages and their events by index probes', async () => {
    assert.deepEqual(await largeScans(statements.takeReadyFolds, [PENDING_FOLD_MS], true), []);
  });

  it("a request's messages and devices (GET /v1/requests/:id) by index probes", async () => {
    assert.deepEqual(await largeScans(statements.selectRequestMessages, ['req-42'], false), []);
    assert.deepEqual(await largeScans(statements.selectRequestDevices, ['req-42'], false), []);
  });

  it('still moves a row and notes a message with none (the history-log contract covers the rest)', async () => {
    await store.appendEvents([
      { messageId: 'msg-5', status: 'delivered', at: Date.now() },
      { messageId: 'msg-not-yet', status: 'sent', at: Date.now() },
    ]);
    const [row] = await sql<{ status: string }>(
      `SELECT status FROM ${q('messages')} WHERE message_id = 'msg-5'`,
    );
    assert.equal(row?.status, 'delivered');
    const noted = await sql(`SELECT 1 FROM ${q('pending_folds')} WHERE message_id = 'msg-not-yet'`);
    assert.equal(noted.length, 1);
  });
});
