import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { SqliteScheduleStore } from '../../../src/adapters/sqlite/sqlite-schedule-store.ts';
import { SqliteTransport } from '../../../src/adapters/sqlite/sqlite-transport.ts';
import { DEFAULT_REMOTE_CONFIG } from '../../../src/config/default-remote-config.ts';
import type { PostOutcome } from '../../../src/core/callbacks/callback-client.ts';
import { type CallbackRecord, toCallbackEvent } from '../../../src/core/callbacks/callback-event.ts';
import { CALLBACKS_QUEUE } from '../../../src/core/callbacks/callback-parking.ts';
import { callbacksTopic, callbackTopics } from '../../../src/core/callbacks/callback-topics.ts';
import { CallbacksWorker } from '../../../src/core/callbacks/callbacks-worker.ts';
import type { RemoteConfigDocument } from '../../../src/core/domain/remote-config.ts';
import { silentLogger } from '../../../src/observability/logger.ts';
import { HeraldMetrics } from '../../../src/observability/metrics.ts';
import type { ParkedRecord } from '../../../src/ports/schedule-store.ts';
import type { StoredWebhook } from '../../../src/ports/webhook-store.ts';
import { type TempDirectory, tempDirectory } from '../../adapters/sqlite/temp-directory.ts';

const WEBHOOK: StoredWebhook = {
  clientId: 'shop',
  url: 'https://hooks.shop.example/herald',
  secret: 'whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0',
  registeredAt: 0,
  updatedAt: 0,
  state: 'active',
};

/**
 * A callback retry due later than the worker holds in memory is parked in the schedule store (its
 * record committed), released back to the retry topic when due, and sent with the same webhook-id:
 * a receiver failing for hours fills a durable queue, not the consumer's window. On the embedded
 * log and schedule store; the receiver is the worker's HTTP client port, answering as told.
 */
describe('callbacks worker: later retries wait in the schedule store', () => {
  let dir: TempDirectory;
  let transport: SqliteTransport;
  let schedule: SqliteScheduleStore;
  let worker: CallbacksWorker | undefined;

  beforeEach(async () => {
    dir = tempDirectory();
    transport = new SqliteTransport({ path: dir.file('transport.db') });
    schedule = new SqliteScheduleStore({ path: dir.file('schedule.db') });
    await transport.ensureTopics(callbackTopics().map((name) => ({ name, partitions: 1 })));
  });
  afterEach(async () => {
    await worker?.stop();
    await Promise.all([transport.close(), schedule.close()]);
    dir.remove();
  });

  it('parks a failed batch, releases it when due, and sends it again with the same webhook-id', async () => {
    const posts: { id: string; body: string }[] = [];
    const parked: ParkedRecord[] = [];
    const config: RemoteConfigDocument = {
      ...DEFAULT_REMOTE_CONFIG,
      callbacks: { allow: [], retryBaseDelayMs: 300 },
    };
    worker = new CallbacksWorker({
      transport,
      schedule: {
        park: async (records) => {
          parked.push(...records);
          await schedule.park(records);
        },
        claimDue: (...args) => schedule.claimDue(...args),
        remove: (records) => schedule.remove(records),
      },
      // Every retry is "later" here, so the first one is parked rather than held.
      holdInMemoryMs: 0,
      webhooks: { get: async () => WEBHOOK, recordDelivery: async () => WEBHOOK },
      box: { open: (sealed) => sealed },
      client: {
        post: async (_url, body, headers): Promise<PostOutcome> => {
          posts.push({ id: headers['webhook-id'], body });
          return posts.length === 1 ? { ok: false, status: 503 } : { ok: true, status: 200 };
        },
      },
      config: () => config,
      metrics: new HeraldMetrics(),
      logger: silentLogger(),
    });
    await worker.start();
    const event = toCallbackEvent({
      messageId: 'm-1',
      clientId: 'shop',
      status: 'sent',
      at: Date.now(),
      attempt: 1,
    });
    const record: CallbackRecord = { clientId: 'shop', events: [event], attempt: 0, firstAt: Date.now() };
    await transport.produce([{ topic: callbacksTopic(), key: 'shop', value: JSON.stringify(record) }]);

    const deadline = Date.now() + 30_000;
    while (posts.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));

    assert.equal(posts.length, 2, 'refused once, then delivered');
    assert.equal(posts[1]!.id, posts[0]!.id, 'the same webhook-id on the retry');
    assert.equal(posts[1]!.body, posts[0]!.body);
    assert.equal(parked.length, 1, 'the retry was parked, not held in memory');
    assert.equal(parked[0]!.queue, CALLBACKS_QUEUE);
    const waitUntil = Date.now() + 5_000;
    while ((await schedule.count(CALLBACKS_QUEUE)) > 0 && Date.now() < waitUntil) {
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(await schedule.count(CALLBACKS_QUEUE), 0, 'removed once released');
  });
});
