import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import { Pool } from 'pg';
import { HISTORY_MIGRATIONS } from '../../../src/adapters/postgres/history-schema.ts';
import { runMigrations } from '../../../src/adapters/postgres/migrations.ts';
import { PostgresHistoryStore } from '../../../src/adapters/postgres/postgres-history-store.ts';
import type { AcceptedRequest } from '../../../src/ports/history-store.ts';
import { describeHistoryFallbackContract } from '../../contracts/history-fallback.contract.ts';
import { describeHistoryLogContract } from '../../contracts/history-log.contract.ts';
import { describeHistoryStoreContract } from '../../contracts/history-store.contract.ts';
import { ENGINE_URLS, engineSkip } from '../../support/engines.ts';
import { freePort } from '../../support/redis-server-process.ts';
import { TcpProxy } from '../../support/tcp-proxy.ts';
import { dropSchema, sql, uniqueSchema } from './postgres-test-schema.ts';

/** Generous bound for "fails fast": the connect timeout is 1 s in these tests. */
const FAIL_FAST_BOUND_MS = 5_000;
const RECOVERY_BOUND_MS = 15_000;
const JUNE_2025 = Date.UTC(2025, 5, 15, 12);

const skip = await engineSkip('postgres');

function request(acceptedAt: number, count = 1): AcceptedRequest {
  return {
    requestId: `req-${randomUUID()}`,
    clientId: 'client-1',
    lane: 'batch',
    channel: 'email',
    acceptedAt,
    messages: Array.from({ length: count }, (_, index) => ({
      messageId: `msg-${randomUUID()}`,
      index,
      key: `key-${randomUUID()}`,
      channel: 'email' as const,
      recipientMasked: 'k***@example.com',
      recipientHash: `hash-${randomUUID()}`,
    })),
    duplicates: [],
  };
}

async function eventually<T>(timeoutMs: number, attempt: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

describe('postgres history store', { skip }, () => {
  const schema = uniqueSchema();
  after(async () => dropSchema(schema));

  describeHistoryStoreContract('postgres', async () => {
    const store = new PostgresHistoryStore({ connectionString: ENGINE_URLS.postgres, schema });
    return { store, cleanup: () => store.close() };
  });

  describeHistoryFallbackContract('postgres', async () => {
    const store = new PostgresHistoryStore({ connectionString: ENGINE_URLS.postgres, schema });
    return { store, cleanup: () => store.close() };
  });

  describeHistoryLogContract('postgres', async () => {
    const store = new PostgresHistoryStore({ connectionString: ENGINE_URLS.postgres, schema });
    return { store, cleanup: () => store.close() };
  });

  describe('adapter only', () => {
    let open: PostgresHistoryStore[];
    beforeEach(() => {
      open = [];
    });
    afterEach(async () => {
      await Promise.all(open.map((store) => store.close()));
    });

    function openStore(options: { schema?: string; connectionString?: string } = {}): PostgresHistoryStore {
      const store = new PostgresHistoryStore({
        connectionString: ENGINE_URLS.postgres,
        schema,
        connectTimeoutMs: 1_000,
        ...options,
      });
      open.push(store);
      return store;
    }

    it('puts rows in the partition of their month, and prepares the coming months', async () => {
      const store = openStore();
      const june = request(JUNE_2025, 2);
      await store.recordAccepted(june);
      await store.appendEvents([
        { messageId: june.messages[0]!.messageId, status: 'sent', at: JUNE_2025 + 1 },
      ]);
      const placed = await sql<{ partition: string; rows: number }>(
        `SELECT tableoid::regclass::text AS partition, count(*)::integer AS rows FROM "${schema}".messages
         WHERE request_id = $1 GROUP BY 1
         UNION ALL
         SELECT tableoid::regclass::text, count(*)::integer FROM "${schema}".message_events
         WHERE message_id = $2 GROUP BY 1`,
        [june.requestId, june.messages[0]!.messageId],
      );
      assert.deepEqual(placed, [
        { partition: `${schema}.messages_p2025_06`, rows: 2 },
        { partition: `${schema}.message_events_p2025_06`, rows: 2 },
      ]);

      const partitions = await sql<{ name: string }>(
        `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = $1::regclass`,
        [`"${schema}".messages`],
      );
      const next = new Date();
      next.setUTCMonth(next.getUTCMonth() + 1, 1);
      const expected = `messages_p${next.getUTCFullYear()}_${String(next.getUTCMonth() + 1).padStart(2, '0')}`;
      assert.ok(
        partitions.some((p) => p.name === expected),
        `${expected} among ${partitions.map((p) => p.name)}`,
      );
    });

    it('keeps a pending fold until its message comes, and drops one whose message never came within the hour', async () => {
      const fresh = uniqueSchema();
      try {
        const store = openStore({ schema: fresh });
        const late = request(JUNE_2025);
        const lateId = late.messages[0]!.messageId;
        const source = 'herald.history/0';
        await store.applyLog({
          source,
          changes: [
            {
              offset: 0,
              change: { kind: 'events', events: [{ messageId: lateId, status: 'sent', at: JUNE_2025 + 1 }] },
            },
          ],
        });
        await store.appendEvents([{ messageId: 'msg-never-created', status: 'sent', at: JUNE_2025 + 1 }]);
        const pending = () =>
          sql<{ message_id: string }>(`SELECT message_id FROM "${fresh}".pending_folds ORDER BY message_id`);
        assert.deepEqual(
          (await pending()).map((row) => row.message_id),
          [lateId, 'msg-never-created'].toSorted(),
        );
        // The note of the message that never came is two hours old; the other waits for its creation.
        await sql(`UPDATE "${fresh}".pending_folds SET noted_at = now() - interval '2 hours'`);
        await store.applyLog({
          source,
          changes: [{ offset: 1, change: { kind: 'accepted', request: late } }],
        });
        assert.deepEqual(await pending(), []);
        assert.equal((await store.getMessage('client-1', lateId))?.status, 'sent');
      } finally {
        await dropSchema(fresh);
      }
    });

    it('runs the migrations once when several stores start together on a new schema', async () => {
      const fresh = uniqueSchema();
      try {
        const stores = [
          openStore({ schema: fresh }),
          openStore({ schema: fresh }),
          openStore({ schema: fresh }),
        ];
        await Promise.all(stores.map((store) => store.ready()));
        await openStore({ schema: fresh }).ready();
        const versions = await sql<{ component: string; version: number }>(
          `SELECT component, version FROM "${fresh}".schema_migrations ORDER BY version`,
        );
        assert.deepEqual(
          versions,
          HISTORY_MIGRATIONS.scripts.map((_, i) => ({ component: 'history', version: i + 1 })),
        );
        const accepted = request(Date.now());
        await stores[2]!.recordAccepted(accepted);
        assert.equal((await stores[0]!.getRequest('client-1', accepted.requestId))?.messages.length, 1);
      } finally {
        await Promise.all(open.map((store) => store.close()));
        await dropSchema(fresh);
      }
    });

    it("upgrades a schema of the first release: its months get the refused recipients' table on first use", async () => {
      const upgraded = uniqueSchema();
      const pool = new Pool({ connectionString: ENGINE_URLS.postgres });
      try {
        await runMigrations(pool, upgraded, {
          component: 'history',
          scripts: HISTORY_MIGRATIONS.scripts.slice(0, 1),
        });
        for (const table of ['requests', 'messages', 'request_messages', 'message_events']) {
          await sql(
            `CREATE TABLE "${upgraded}".${table}_p2025_06 PARTITION OF "${upgraded}".${table} ` +
              `FOR VALUES FROM ('2025-06-01') TO ('2025-07-01')`,
          );
        }
        const store = openStore({ schema: upgraded });
        const accepted: AcceptedRequest = {
          ...request(JUNE_2025),
          rejected: [
            {
              index: 1,
              error: { code: 'HERALD_INVALID_EMAIL', message: 'recipients[1].to is not an address' },
            },
          ],
        };
        await store.recordAccepted(accepted);
        const view = await store.getRequest('client-1', accepted.requestId);
        assert.deepEqual(view?.messages[1], accepted.rejected?.[0]);
      } finally {
        await pool.end();
        await dropSchema(upgraded);
      }
    });

    it('applies a batch with a terminal event in the middle as event by event would', async () => {
      const store = openStore();
      const accepted = request(JUNE_2025);
      const messageId = accepted.messages[0]!.messageId;
      await store.recordAccepted(accepted);
      await store.appendEvents([
        { messageId, status: 'sending', at: JUNE_2025 + 1, vendor: 'sim-a', attempt: 1 },
        { messageId, status: 'sent', at: JUNE_2025 + 2, vendor: 'sim-a', attempt: 1 },
        { messageId, status: 'retrying', at: JUNE_2025 + 3, vendor: 'sim-b', attempt: 2, errorCode: 'X' },
      ]);
      const message = await store.getMessage('client-1', messageId);
      assert.deepEqual(
        [message?.status, message?.vendor, message?.attempts, message?.error, message?.updatedAt],
        ['sent', 'sim-a', 1, null, JUNE_2025 + 2],
      );
      assert.equal(message?.events.length, 4, 'the late event is still history');
    });

    it('rolls back a whole batch of events when one cannot be written', async () => {
      const store = openStore();
      const accepted = request(JUNE_2025);
      const messageId = accepted.messages[0]!.messageId;
      await store.recordAccepted(accepted);
      await assert.rejects(
        store.appendEvents([
          { messageId, status: 'sent', at: JUNE_2025 + 1 },
          { messageId, status: 'queued', at: Number.NaN },
        ]),
        { code: 'HERALD_UNAVAILABLE', retryable: false },
      );
      const message = await store.getMessage('client-1', messageId);
      assert.equal(message?.status, 'accepted');
      assert.equal(message?.events.length, 1);
    });

    it('fails fast as unavailable when PostgreSQL cannot be reached, and says it is unhealthy', async () => {
      const store = openStore({ connectionString: `postgres://postgres@127.0.0.1:${await freePort()}/test` });
      const started = performance.now();
      await assert.rejects(store.recordAccepted(request(Date.now())), {
        code: 'HERALD_UNAVAILABLE',
        retryable: true,
      });
      await assert.rejects(store.getMessage('client-1', 'msg-1'), { code: 'HERALD_UNAVAILABLE' });
      assert.equal(await store.healthy(), false);
      const took = performance.now() - started;
      assert.ok(took < FAIL_FAST_BOUND_MS, `took ${Math.round(took)} ms`);
    });

    it('fails fast while the database is cut off, and works again when it returns, same store', async () => {
      const target = new URL(ENGINE_URLS.postgres);
      const proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port) });
      try {
        target.host = `127.0.0.1:${proxy.port}`;
        const store = openStore({ connectionString: target.toString() });
        await store.recordAccepted(request(Date.now()));
        await proxy.cut();
        const during = request(Date.now());
        const started = performance.now();
        await assert.rejects(store.recordAccepted(during), { code: 'HERALD_UNAVAILABLE', retryable: true });
        assert.ok(performance.now() - started < FAIL_FAST_BOUND_MS);
        await proxy.restore();
        await eventually(RECOVERY_BOUND_MS, () => store.recordAccepted(during));
        assert.equal((await store.getRequest('client-1', during.requestId))?.messages.length, 1);
      } finally {
        await proxy.cut();
      }
    });
  });
});
