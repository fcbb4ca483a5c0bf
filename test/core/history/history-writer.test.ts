import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { PostgresHistoryStore } from '../../../src/adapters/postgres/postgres-history-store.ts';
import { SqliteHistoryStore } from '../../../src/adapters/sqlite/sqlite-history-store.ts';
import { DEFAULT_REMOTE_CONFIG } from '../../../src/config/default-remote-config.ts';
import { decodeHistoryRecord, HISTORY_TOPIC } from '../../../src/core/history/history-log.ts';
import { HistoryWriter } from '../../../src/core/history/history-writer.ts';
import { PublishingHistoryStore } from '../../../src/core/history/publishing-history-store.ts';
import { silentLogger } from '../../../src/observability/logger.ts';
import { HeraldMetrics } from '../../../src/observability/metrics.ts';
import type { AcceptedRequest, HistoryLogBatch, HistoryStore } from '../../../src/ports/history-store.ts';
import { dropSchema, uniqueSchema } from '../../adapters/postgres/postgres-test-schema.ts';
import { type TempDirectory, tempDirectory } from '../../adapters/sqlite/temp-directory.ts';
import { ENGINE_URLS, engineSkip } from '../../support/engines.ts';
import { readTopic } from '../../support/read-topic.ts';
import { type TestTransport, transportSubjects } from '../../support/test-transports.ts';

const CLIENT = 'shop';

interface HistorySubject {
  readonly name: string;
  readonly skip: string | false;
  make(): Promise<{ store: HistoryStore; cleanup: () => Promise<void> }>;
}

const histories: HistorySubject[] = [
  {
    name: 'sqlite',
    skip: false,
    async make() {
      const dir: TempDirectory = tempDirectory();
      const store = new SqliteHistoryStore({ path: dir.file('history.db') });
      return {
        store,
        cleanup: async () => {
          await store.close();
          dir.remove();
        },
      };
    },
  },
  {
    name: 'postgres',
    skip: await engineSkip('postgres'),
    // A schema per test: the store keeps how far it applied each log partition, and every test's
    // log starts again at offset 0.
    async make() {
      const schema = uniqueSchema();
      const store = new PostgresHistoryStore({ connectionString: ENGINE_URLS.postgres, schema });
      return {
        store,
        cleanup: async () => {
          await store.close();
          await dropSchema(schema);
        },
      };
    },
  },
];

/** Polls `check` until it stops throwing (30 s at most): the writer applies the log on its own time. */
async function eventually<T>(check: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function smsRequest(count: number): AcceptedRequest {
  return {
    requestId: randomUUID(),
    clientId: CLIENT,
    lane: 'realtime',
    channel: 'sms',
    acceptedAt: Date.now(),
    messages: Array.from({ length: count }, (_, index) => ({
      messageId: randomUUID(),
      index,
      key: randomUUID(),
      channel: 'sms' as const,
      recipientMasked: '010****5678',
      recipientHash: randomUUID(),
    })),
    duplicates: [],
  };
}

/** A store whose applyLog fails while `down` is true, as PostgreSQL does while it is away. */
function outage(store: HistoryStore): { store: HistoryStore; down: boolean; failures: number } {
  const state = {
    down: true,
    failures: 0,
    store: {
      applyLog: async (batch: HistoryLogBatch) => {
        if (state.down) {
          state.failures += 1;
          throw new Error('connection refused');
        }
        await store.applyLog(batch);
      },
    } as HistoryStore,
  };
  return state;
}

for (const transportSubject of await transportSubjects()) {
  for (const history of histories) {
    const skip = transportSubject.skip || history.skip;
    describe(`history writer (${transportSubject.name} log, ${history.name} history)`, { skip }, () => {
      let store: HistoryStore;
      let cleanupStore: () => Promise<void>;
      let transport: TestTransport;
      let publisher: PublishingHistoryStore;
      let metrics: HeraldMetrics;
      const writers: HistoryWriter[] = [];

      beforeEach(async () => {
        ({ store, cleanup: cleanupStore } = await history.make());
        transport = await transportSubject.make(
          [{ name: HISTORY_TOPIC, partitions: 1 }],
          ['herald-history', 'probe'],
        );
        publisher = new PublishingHistoryStore({ transport: transport.transport, projection: store });
        metrics = new HeraldMetrics();
      });

      afterEach(async () => {
        for (const writer of writers.splice(0)) await writer.stop();
        await transport.cleanup();
        await cleanupStore();
      });

      async function startWriter(target: Pick<HistoryStore, 'applyLog'> = store): Promise<HistoryWriter> {
        const writer = new HistoryWriter({
          transport: transport.transport,
          history: target,
          config: () => DEFAULT_REMOTE_CONFIG,
          metrics,
          logger: silentLogger(),
        });
        writers.push(writer);
        await writer.start();
        return writer;
      }

      /** `requests` requests of `size`, accepted, queued and sent, through the log; their messages. */
      async function publish(requests: number, size: number): Promise<string[]> {
        const ids: string[] = [];
        for (let r = 0; r < requests; r++) {
          const request = smsRequest(size);
          const messageIds = request.messages.map((m) => m.messageId);
          await publisher.recordAccepted(request);
          await publisher.appendEvents(
            messageIds.map((messageId) => ({ messageId, status: 'queued', at: Date.now() })),
          );
          await publisher.appendEvents(
            messageIds.map((messageId) => ({
              messageId,
              status: 'sent',
              at: Date.now(),
              vendor: 'sens-sms',
              attempt: 1,
            })),
          );
          ids.push(...messageIds);
        }
        return ids;
      }

      async function eventsOf(messageId: string): Promise<string[]> {
        const view = await store.getMessage(CLIENT, messageId);
        assert.ok(view, `message ${messageId} is in history`);
        return view.events.map((event) => event.status);
      }

      it('folds what the API and the workers publish into history, each event once, in order', async () => {
        const ids = await publish(20, 10);
        assert.equal(
          await store.getMessage(CLIENT, ids[0]!),
          undefined,
          'nothing in history before the writer runs',
        );
        const writer = await startWriter();
        await eventually(async () =>
          assert.deepEqual(await eventsOf(ids.at(-1)!), ['accepted', 'queued', 'sent']),
        );
        for (const id of ids) assert.deepEqual(await eventsOf(id), ['accepted', 'queued', 'sent']);
        await eventually(async () => assert.equal(writer.lagSeconds(), 0));
        assert.equal(await metrics.count(metrics.historyApplied), 60);
      });

      it('applies nothing twice when a writer died after its transaction, before committing its offsets', async () => {
        const ids = await publish(5, 4);
        // What the dead writer did: it read the log and applied it, and its offsets were never
        // committed; the next writer reads the same records from the start.
        const records = await readTopic(transport.transport, HISTORY_TOPIC, 15);
        assert.equal(records.length, 15);
        await store.applyLog({
          source: `${records[0]!.topic}/${records[0]!.partition}`,
          changes: records.slice(0, 10).map((record) => ({
            offset: record.offset,
            change: decodeHistoryRecord(record.value)!,
          })),
        });
        await startWriter();
        await eventually(async () =>
          assert.deepEqual(await eventsOf(ids.at(-1)!), ['accepted', 'queued', 'sent']),
        );
        for (const id of ids) assert.deepEqual(await eventsOf(id), ['accepted', 'queued', 'sent']);
      });

      it('waits out a store that is down, its lag growing, and catches up when it is back', async () => {
        const ids = await publish(3, 5);
        const down = outage(store);
        const writer = await startWriter(down.store);
        await eventually(async () => assert.ok(down.failures >= 2, 'tried again while down'));
        assert.ok(writer.lagSeconds() > 0, 'history is behind its log');
        assert.ok((await metrics.count(metrics.historyApplyErrors)) >= 2);
        assert.equal(await store.getMessage(CLIENT, ids[0]!), undefined);
        down.down = false;
        await eventually(async () =>
          assert.deepEqual(await eventsOf(ids.at(-1)!), ['accepted', 'queued', 'sent']),
        );
        for (const id of ids) assert.deepEqual(await eventsOf(id), ['accepted', 'queued', 'sent']);
        await eventually(async () => assert.equal(writer.lagSeconds(), 0));
      });

      it('picks up where the last writer committed', async () => {
        const first = await publish(2, 3);
        const writer = await startWriter();
        await eventually(async () =>
          assert.deepEqual(await eventsOf(first.at(-1)!), ['accepted', 'queued', 'sent']),
        );
        await writer.stop();
        writers.splice(writers.indexOf(writer), 1);
        const second = await publish(2, 3);
        await startWriter();
        await eventually(async () =>
          assert.deepEqual(await eventsOf(second.at(-1)!), ['accepted', 'queued', 'sent']),
        );
        for (const id of [...first, ...second])
          assert.deepEqual(await eventsOf(id), ['accepted', 'queued', 'sent']);
      });
    });
  }
}
