import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { productionEnginesSkip } from '../support/engines.ts';
import { phoneNumbers, startTestHerald, waitFor, waitForRequest } from '../support/herald-harness.ts';
import { productionEnv, uniqueNamespace } from '../support/production-env.ts';
import { RedisServerProcess } from '../support/redis-server-process.ts';

const skip = await productionEnginesSkip();

const sms = (recipients: string[], body: string) => ({
  channel: 'sms',
  lane: 'realtime',
  content: { body },
  recipients: recipients.map((to) => ({ to })),
});

/**
 * Idempotency-Key records on Kafka + Redis + PostgreSQL: kept in Redis (not in history), replayed
 * as stored, and, while Redis is down, requests are accepted without them (fail-open, counted).
 * The test stops its own Redis, never the machine's shared one.
 */
describe('Idempotency-Key on the production engines', { skip }, () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  });

  it('replays from Redis; with Redis down, keyed requests are still accepted and counted', async () => {
    const redis = await RedisServerProcess.start();
    cleanups.push(() => redis.dispose());
    const h = await startTestHerald(productionEnv(uniqueNamespace('idem'), { HERALD_REDIS_URL: redis.url }));
    cleanups.push(() => h.stop());
    const received = () =>
      Object.values(h.herald.fleet.simulator!.stats().vendors).reduce((n, v) => n + v.received, 0);
    const metrics = h.herald.metrics;

    const body = sms(phoneNumbers(5, 200_000), 'order shipped');
    const first = await h.call('POST', '/v1/messages', body, { 'idempotency-key': 'order-1' });
    assert.equal(first.status, 202, JSON.stringify(first.body));
    await waitForRequest(h, first.body.requestId);
    const replay = await h.call('POST', '/v1/messages', body, { 'idempotency-key': 'order-1' });
    assert.deepEqual([replay.status, replay.body], [202, first.body]);
    assert.equal(replay.headers.get('idempotent-replayed'), 'true');
    const reused = await h.call('POST', '/v1/messages', sms(phoneNumbers(5, 200_000), 'other text'), {
      'idempotency-key': 'order-1',
    });
    assert.equal(reused.body.error?.code, 'HERALD_IDEMPOTENCY_KEY_REUSED');
    assert.equal(received(), 5, 'the replay sent nothing');

    await redis.stop();
    const during = await h.call('POST', '/v1/messages', sms(phoneNumbers(5, 200_100), 'during'), {
      'idempotency-key': 'order-2',
    });
    assert.equal(during.status, 202, 'accepted without its record');
    assert.equal(await metrics.count(metrics.idempotencyFailOpen), 1);
    await waitForRequest(h, during.body.requestId, ['sent'], 120_000);

    await redis.restart();
    // The client reconnects by itself (no restart of herald); wait until it has.
    const idempotency = h.herald.stores.idempotency!;
    await waitFor(
      async () =>
        idempotency.claim(`probe-${Date.now()}`, 'fp', 1_000).then(
          () => true,
          () => false,
        ),
      30_000,
      'reconnect',
    );
    const later = sms(phoneNumbers(5, 200_200), 'after');
    const stored = await h.call('POST', '/v1/messages', later, { 'idempotency-key': 'order-3' });
    assert.equal(stored.status, 202);
    assert.equal(await metrics.count(metrics.idempotencyFailOpen), 1, 'stored again once Redis was back');
    const again = await h.call('POST', '/v1/messages', later, { 'idempotency-key': 'order-3' });
    assert.deepEqual(again.body, stored.body);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
  });
});
