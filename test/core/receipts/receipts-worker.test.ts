import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import { PostgresHistoryStore } from '../../../src/adapters/postgres/postgres-history-store.ts';
import { SqliteHistoryStore } from '../../../src/adapters/sqlite/sqlite-history-store.ts';
import { DEFAULT_REMOTE_CONFIG } from '../../../src/config/default-remote-config.ts';
import type { DeliveryReceipt } from '../../../src/core/domain/delivery-receipt.ts';
import { RECEIPTS_UNMATCHED_TOPIC, receiptTopics } from '../../../src/core/pipeline/topics.ts';
import { decodeReceiptRecord, receiptRecord } from '../../../src/core/receipts/receipt-codec.ts';
import { ReceiptsWorker } from '../../../src/core/receipts/receipts-worker.ts';
import { TopicReceiptSink } from '../../../src/core/receipts/topic-receipt-sink.ts';
import { silentLogger } from '../../../src/observability/logger.ts';
import { HeraldMetrics } from '../../../src/observability/metrics.ts';
import type {
  AcceptedRequest,
  HistoryStore,
  MessageEvent,
  MessageView,
} from '../../../src/ports/history-store.ts';
import { dropSchema, uniqueSchema } from '../../adapters/postgres/postgres-test-schema.ts';
import { type TempDirectory, tempDirectory } from '../../adapters/sqlite/temp-directory.ts';
import { ENGINE_URLS, engineSkip } from '../../support/engines.ts';
import { readTopic } from '../../support/read-topic.ts';
import { type TestTransport, transportSubjects } from '../../support/test-transports.ts';

const VENDOR = 'nhn-sms';
const CLIENT = 'shop';

interface HistorySubject {
  readonly name: string;
  readonly skip: string | false;
  make(): Promise<{ store: HistoryStore; cleanup: () => Promise<void> }>;
}

const pgSchema = uniqueSchema();
const histories: HistorySubject[] = [
  {
    name: 'sqlite',
    skip: false,
    async make() {
      const dir: TempDirectory = tempDirectory();
      const store = new SqliteHistoryStore({ path: dir.file('history.db') });
      const cleanup = async () => {
        await store.close();
        dir.remove();
      };
      return { store, cleanup };
    },
  },
  {
    name: 'postgres',
    skip: await engineSkip('postgres'),
    async make() {
      const store = new PostgresHistoryStore({ connectionString: ENGINE_URLS.postgres, schema: pgSchema });
      return { store, cleanup: () => store.close() };
    },
  },
];
after(async () => {
  if (!histories[1]!.skip) await dropSchema(pgSchema);
});

/** Polls `check` until it stops throwing (20 s at most): the worker applies receipts on its own time. */
async function eventually<T>(check: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function receipt(vendorMessageId: string, overrides: Partial<DeliveryReceipt> = {}): DeliveryReceipt {
  return {
    vendor: VENDOR,
    vendorMessageId,
    state: 'delivered',
    at: Date.now() - 1_000,
    code: '1000',
    message: 'success',
    carrier: 'SKT',
    source: 'webhook',
    receivedAt: Date.now(),
    ...overrides,
  };
}

for (const transportSubject of await transportSubjects()) {
  for (const history of histories) {
    const skip = transportSubject.skip || history.skip;
    describe(`receipts worker (${transportSubject.name} transport, ${history.name} history)`, {
      skip,
    }, () => {
      let store: HistoryStore;
      let cleanupStore: () => Promise<void>;
      let transport: TestTransport;
      let metrics: HeraldMetrics;
      let worker: ReceiptsWorker;
      let sink: TopicReceiptSink;
      /** This test's vendor ids are unique, so two runs against one schema never match each other. */
      let prefix: string;
      /** What the worker handed the status callbacks without writing it (receipts it wrote nothing for). */
      let notified: MessageEvent[];

      beforeEach(async () => {
        ({ store, cleanup: cleanupStore } = await history.make());
        transport = await transportSubject.make(
          receiptTopics().map((name) => ({ name, partitions: 2 })),
          ['herald-receipts', 'probe'],
        );
        metrics = new HeraldMetrics();
        sink = new TopicReceiptSink(transport.transport);
        prefix = randomUUID();
        notified = [];
        worker = new ReceiptsWorker({
          callbacks: {
            notify: async (events) => {
              notified.push(...events);
            },
          },
          transport: transport.transport,
          history: store,
          config: () => DEFAULT_REMOTE_CONFIG,
          metrics,
          logger: silentLogger(),
          unmatchedDelaysMs: [300, 1_500, 1_500],
        });
        await worker.start();
      });

      afterEach(async () => {
        await worker.stop();
        await transport.cleanup();
        await cleanupStore();
      });

      /** `count` SMS messages, accepted and sent through VENDOR (`<prefix>-<i>`); their ids. */
      async function sentMessages(count: number, status: 'sent' | 'failed' = 'sent'): Promise<string[]> {
        const acceptedAt = Date.now() - 60_000;
        const request: AcceptedRequest = {
          requestId: randomUUID(),
          clientId: CLIENT,
          lane: 'realtime',
          channel: 'sms',
          acceptedAt,
          messages: Array.from({ length: count }, (_, index) => ({
            messageId: randomUUID(),
            index,
            key: randomUUID(),
            channel: 'sms',
            recipientMasked: '010****5678',
            recipientHash: randomUUID(),
          })),
          duplicates: [],
        };
        await store.recordAccepted(request);
        const ids = request.messages.map((message) => message.messageId);
        // A failed message that still carries the vendor's id (the vendor took it, herald recorded failure).
        await store.appendEvents(
          ids.map((messageId, i) => ({
            messageId,
            status,
            at: acceptedAt + 1_000,
            vendor: VENDOR,
            vendorMessageId: `${prefix}-${i}`,
            ...(status === 'failed' && { errorCode: 'HERALD_VENDOR_TIMEOUT', errorMessage: 'no answer' }),
          })),
        );
        return ids;
      }

      async function view(messageId: string): Promise<MessageView> {
        const found = await store.getMessage(CLIENT, messageId);
        assert.ok(found, `message ${messageId} is in history`);
        return found;
      }

      async function statusOf(messageId: string, status: string): Promise<MessageView> {
        const found = await view(messageId);
        assert.equal(found.status, status);
        return found;
      }

      it('records delivered and undelivered with the carrier, the vendor code and time, and a timeout', async () => {
        const [delivered, undelivered, timedOut] = await sentMessages(3);
        const deliveredAt = Date.now() - 5_000;
        await sink.submit([receipt(`${prefix}-0`, { at: deliveredAt, carrier: 'KT' })]);
        await sink.submit([
          receipt(`${prefix}-1`, {
            state: 'undelivered',
            code: '3016',
            message: 'number not in service',
            carrier: 'LGU+',
            source: 'lookup',
          }),
        ]);
        // The poller's timeout takes the same path, with the sent time for the latency.
        await transport.transport.produce([
          receiptRecord({
            receipt: receipt(`${prefix}-2`, {
              state: 'undelivered',
              code: '',
              message: 'no delivery result by its delivery timeout',
              carrier: 'unknown',
              source: 'timeout',
            }),
            matchAttempt: 0,
            sentAt: deliveredAt - 10_000,
          }),
        ]);

        const one = await eventually(() => statusOf(delivered!, 'delivered'));
        assert.equal(one.carrier, 'KT');
        assert.equal(one.vendorMessageId, `${prefix}-0`);
        assert.deepEqual(one.events.at(-1), {
          messageId: delivered,
          status: 'delivered',
          at: deliveredAt,
          vendor: VENDOR,
          carrier: 'KT',
          resultCode: '1000',
        });
        const two = await eventually(() => statusOf(undelivered!, 'undelivered'));
        assert.deepEqual(two.error, { code: 'HERALD_UNDELIVERED', message: '[3016] number not in service' });
        assert.equal(two.events.at(-1)?.carrier, 'LGU+');
        assert.equal(two.events.at(-1)?.resultCode, '3016');
        const three = await eventually(() => statusOf(timedOut!, 'undelivered'));
        assert.equal(three.error?.code, 'HERALD_RECEIPT_TIMEOUT');

        assert.equal(
          await metrics.count(metrics.receipts, { carrier: 'KT', state: 'delivered', channel: 'sms' }),
          1,
        );
        assert.equal(await metrics.count(metrics.receipts, { state: 'undelivered' }), 2);
        assert.equal(await metrics.count(metrics.vendorResultCodes, { vendor: VENDOR, code: '3016' }), 1);
      });

      it('applies the same receipt once: in one batch, and again after it was applied', async () => {
        const [messageId, marker] = await sentMessages(2);
        const same = receipt(`${prefix}-0`);
        await sink.submit([same, same]);
        await eventually(() => statusOf(messageId!, 'delivered'));
        // Redelivered (a webhook retried, a look-up after the webhook), then a marker to wait for.
        await sink.submit([same, { ...same, source: 'lookup' }]);
        await sink.submit([receipt(`${prefix}-1`)]);
        await eventually(() => statusOf(marker!, 'delivered'));
        await eventually(async () => assert.equal(await metrics.count(metrics.receiptsDuplicate), 3));
        const events = (await view(messageId!)).events.filter((event) => event.status === 'delivered');
        assert.equal(events.length, 1);
        assert.equal(await metrics.count(metrics.receipts, { state: 'delivered' }), 2);
      });

      it('applies a receipt once when its repeats arrive in batches handled back to back', async () => {
        const ids = await sentMessages(30);
        // Each receipt three times, each time in a produce of its own: the poll loop hands the
        // batches over without waiting for the one before, as after a crash that redid look-ups.
        const receipts = ids.map((_, i) => receipt(`${prefix}-${i}`));
        for (let round = 0; round < 3; round += 1) {
          await Promise.all(receipts.map((one) => sink.submit([one])));
        }
        await eventually(async () =>
          assert.equal(await metrics.count(metrics.receiptsDuplicate), 2 * ids.length),
        );
        for (const id of ids) {
          const results = (await view(id)).events.filter((event) => event.status === 'delivered');
          assert.equal(results.length, 1, `one delivered event for ${id}`);
        }
      });

      it("calls back again a receipt it writes nothing for (its write's worker may have died before the callback)", async () => {
        const [messageId, marker] = await sentMessages(2);
        const same = receipt(`${prefix}-0`, { carrier: 'KT' });
        await sink.submit([same]);
        await eventually(() => statusOf(messageId!, 'delivered'));
        assert.equal(
          notified.length,
          0,
          'a receipt that moved the state is called back by its history write',
        );
        await sink.submit([same]);
        await sink.submit([receipt(`${prefix}-1`)]);
        await eventually(() => statusOf(marker!, 'delivered'));
        await eventually(async () => assert.equal(notified.length, 1));
        assert.equal(notified[0]!.messageId, messageId);
        assert.equal(notified[0]!.status, 'delivered');
        assert.equal(notified[0]!.at, same.at, 'the same event, so the same callback id');
        assert.equal(notified[0]!.carrier, 'KT');
        assert.equal((await view(messageId!)).events.filter((e) => e.status === 'delivered').length, 1);
      });

      it('records a receipt for a failed message as an event, the message staying failed', async () => {
        const [messageId] = await sentMessages(1, 'failed');
        await sink.submit([receipt(`${prefix}-0`, { carrier: 'SKT' })]);
        const found = await eventually(async () => {
          const current = await view(messageId!);
          assert.equal(current.events.at(-1)?.status, 'delivered');
          return current;
        });
        assert.equal(found.status, 'failed');
        assert.equal(await metrics.count(metrics.receiptsLate, { vendor: VENDOR }), 1);
        assert.equal(await metrics.count(metrics.receipts), 0);
      });

      it('tries an unmatched receipt again, matches it once its sent is written, and keeps one that never matches', async () => {
        const early = receipt(`${prefix}-0`, { carrier: 'LGU+' });
        const stray = receipt(`${prefix}-stray`);
        await sink.submit([early, stray]);
        await eventually(async () =>
          assert.ok((await metrics.count(metrics.receiptsUnmatched, { outcome: 'retried' })) >= 2),
        );
        // The `sent` reaches history only now (it was in the spool, say).
        const [messageId] = await sentMessages(1);
        const found = await eventually(() => statusOf(messageId!, 'delivered'));
        assert.equal(found.carrier, 'LGU+');
        await eventually(async () =>
          assert.equal(await metrics.count(metrics.receiptsUnmatched, { outcome: 'kept' }), 1),
        );
        const kept = await readTopic(transport.transport, RECEIPTS_UNMATCHED_TOPIC, 1);
        assert.equal(kept.length, 1);
        assert.deepEqual(decodeReceiptRecord(kept[0]!.value)?.receipt, stray);
        assert.equal(decodeReceiptRecord(kept[0]!.value)?.matchAttempt, 3);
      });
    });
  }
}
