import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SqliteHistoryStore } from '../../../src/adapters/sqlite/sqlite-history-store.ts';
import { SqliteTransport } from '../../../src/adapters/sqlite/sqlite-transport.ts';
import { SqliteWebhookStore } from '../../../src/adapters/sqlite/sqlite-webhook-store.ts';
import { callbacksTopic, callbackTopics } from '../../../src/core/callbacks/callback-topics.ts';
import { NotifyingHistoryStore } from '../../../src/core/callbacks/notifying-history-store.ts';
import type { MessageEvent } from '../../../src/ports/history-store.ts';
import { tempDirectory } from '../../adapters/sqlite/temp-directory.ts';
import { readTopic } from '../../support/read-topic.ts';

describe('notifying history store', () => {
  const dir = tempDirectory();
  const transport = new SqliteTransport({ path: dir.file('transport.db') });
  const inner = new SqliteHistoryStore({ path: dir.file('history.db') });
  const webhooks = new SqliteWebhookStore({ path: dir.file('webhooks.db') });
  const history = new NotifyingHistoryStore({ inner, transport, webhooks, cacheTtlMs: 0 });

  before(async () => {
    await transport.ensureTopics(callbackTopics().map((name) => ({ name, partitions: 2 })));
    await webhooks.put({ clientId: 'shop', url: 'https://hooks.example.com/x', secret: 'sealed' }, 1);
  });
  after(async () => {
    await history.close();
    await Promise.all([transport.close(), inner.close(), webhooks.close()]);
    dir.remove();
  });

  it('puts each notifying status change of a client with a webhook on herald.callbacks, after writing history', async () => {
    const event = (messageId: string, status: MessageEvent['status'], clientId?: string): MessageEvent => ({
      messageId,
      status,
      at: 1_000,
      attempt: 1,
      vendor: 'nhn-sms',
      ...(clientId !== undefined && { clientId }),
    });
    await history.appendEvents([
      event('m1', 'sending', 'shop'),
      event('m1', 'sent', 'shop'),
      event('m2', 'failed', 'shop'),
      event('m3', 'sent', 'no-webhook'),
      event('m4', 'sent'),
    ]);
    const records = await readTopic(transport, callbacksTopic(), 2);
    const events = records.map((record) => JSON.parse(record.value));
    assert.deepEqual(
      events
        .map((record) => [record.clientId, record.events[0].data.messageId, record.events[0].type])
        .sort(),
      [
        ['shop', 'm1', 'message.sent'],
        ['shop', 'm2', 'message.failed'],
      ],
    );
    assert.ok(
      records.every((record) => record.key === 'shop'),
      'keyed by client: one client in order',
    );
    // The same history event yields the same callback id (a redelivered write dedups at the receiver).
    await history.appendEvents([event('m1', 'sent', 'shop')]);
    const again = await readTopic(transport, callbacksTopic(), 3, 'probe-2');
    const ids = again
      .map((record) => JSON.parse(record.value).events[0])
      .filter((e) => e.data.messageId === 'm1');
    assert.equal(ids.length, 2);
    assert.equal(ids[0].id, ids[1].id);
  });
});
