import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { SqliteHistoryStore } from '../../../src/adapters/sqlite/sqlite-history-store.ts';
import { SqliteTransport } from '../../../src/adapters/sqlite/sqlite-transport.ts';
import { DEFAULT_REMOTE_CONFIG } from '../../../src/config/default-remote-config.ts';
import { receiptTopics } from '../../../src/core/pipeline/topics.ts';
import { ReceiptsWorker } from '../../../src/core/receipts/receipts-worker.ts';
import { TopicReceiptSink } from '../../../src/core/receipts/topic-receipt-sink.ts';
import { silentLogger } from '../../../src/observability/logger.ts';
import { HeraldMetrics } from '../../../src/observability/metrics.ts';
import type { HistoryStore } from '../../../src/ports/history-store.ts';
import { type TempDirectory, tempDirectory } from '../../adapters/sqlite/temp-directory.ts';

/**
 * Offsets only after the events are durable: a receipts worker stopped while the history store is
 * down has committed nothing, so the next worker of the group applies the receipt, once.
 */
describe('receipts worker while the history store is down', () => {
  let dir: TempDirectory;
  let transport: SqliteTransport;
  let store: SqliteHistoryStore;

  beforeEach(async () => {
    dir = tempDirectory();
    transport = new SqliteTransport({ path: dir.file('transport.db') });
    store = new SqliteHistoryStore({ path: dir.file('history.db') });
    await transport.ensureTopics(receiptTopics().map((name) => ({ name, partitions: 1 })));
  });
  afterEach(async () => {
    await Promise.all([transport.close(), store.close()]);
    dir.remove();
  });

  it('waits the outage out uncommitted, and the next worker applies the receipt once', async () => {
    const at = Date.now() - 60_000;
    await store.recordAccepted({
      requestId: 'r-1',
      clientId: 'shop',
      lane: 'realtime',
      channel: 'sms',
      acceptedAt: at,
      messages: [
        {
          messageId: 'm-1',
          index: 0,
          key: 'k-1',
          channel: 'sms',
          recipientMasked: '010****5678',
          recipientHash: 'h',
        },
      ],
      duplicates: [],
    });
    await store.appendEvents([
      { messageId: 'm-1', status: 'sent', at, vendor: 'nhn-sms', vendorMessageId: 'n-1' },
    ]);

    let down = true;
    let tries = 0;
    const flaky: Pick<HistoryStore, 'appendEvents' | 'findByVendorMessageIds'> = {
      appendEvents: (events) => store.appendEvents(events),
      findByVendorMessageIds: async (vendor, ids) => {
        tries++;
        if (down) throw new Error('history store unreachable');
        return store.findByVendorMessageIds(vendor, ids);
      },
    };
    const worker = () =>
      new ReceiptsWorker({
        transport,
        history: flaky,
        config: () => DEFAULT_REMOTE_CONFIG,
        metrics: new HeraldMetrics(),
        logger: silentLogger(),
      });

    const first = worker();
    await first.start();
    await new TopicReceiptSink(transport).submit([
      {
        vendor: 'nhn-sms',
        vendorMessageId: 'n-1',
        state: 'delivered',
        at: at + 3_000,
        code: '1000',
        message: 'success',
        carrier: 'SKT',
        source: 'webhook',
        receivedAt: Date.now(),
      },
    ]);
    while (tries < 2) await new Promise((resolve) => setTimeout(resolve, 20));
    await first.stop();

    down = false;
    const second = worker();
    await second.start();
    try {
      const deadline = Date.now() + 20_000;
      while ((await store.getMessage('shop', 'm-1'))?.status !== 'delivered' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await second.stop();
    }
    const view = await store.getMessage('shop', 'm-1');
    assert.equal(view?.status, 'delivered');
    assert.equal(view.carrier, 'SKT');
    assert.equal(view.events.filter((event) => event.status === 'delivered').length, 1);
  });
});
