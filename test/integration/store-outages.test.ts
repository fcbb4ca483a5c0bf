import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { productionEnginesSkip } from '../support/engines.ts';
import {
  phoneNumbers,
  startTestHerald,
  type TestHerald,
  waitFor,
  waitForRequest,
} from '../support/herald-harness.ts';
import { productionEnv, uniqueNamespace } from '../support/production-env.ts';
import { RedisServerProcess } from '../support/redis-server-process.ts';
import { TcpProxy } from '../support/tcp-proxy.ts';

const skip = await productionEnginesSkip();

const sms = (recipients: string[]) => ({
  channel: 'sms',
  lane: 'batch',
  content: { body: 'outage drill' },
  recipients: recipients.map((to) => ({ to })),
});

async function flood(h: TestHerald, count: number, offset: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 100) {
    const accepted = await h.call(
      'POST',
      '/v1/messages',
      sms(phoneNumbers(Math.min(100, count - i), offset + i)),
    );
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    ids.push(accepted.body.requestId);
  }
  return ids;
}

const simReceived = (h: TestHerald) =>
  Object.values(h.herald.fleet.simulator!.stats().vendors).reduce((n, v) => n + v.received, 0);

/**
 * DESIGN.md's promises for store outages, on Kafka + Redis + PostgreSQL: with Redis stopped,
 * sending goes on (fail-open, counted) and dedup resumes by itself; with PostgreSQL cut off,
 * accepting and sending go on (no PostgreSQL on the accept path, the history log holds history's
 * backlog) and history is complete once it returns. The test stops its own Redis and cuts
 * a proxy in front of PostgreSQL, never the machine's shared services.
 */
describe('store outages mid-flood (production engines)', { skip }, () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  });

  it('Redis stopped: sending goes on, fail-open is counted, dedup resumes when it returns', async () => {
    const redis = await RedisServerProcess.start();
    cleanups.push(() => redis.dispose());
    const h = await startTestHerald(
      productionEnv(uniqueNamespace('redis'), {
        HERALD_REDIS_URL: redis.url,
        HERALD_SIMULATOR_LATENCY_MS: '20',
      }),
    );
    cleanups.push(() => h.stop());
    const first = await flood(h, 300, 100_000);
    await waitFor(async () => simReceived(h) >= 50, 60_000, 'sending under way');
    await redis.stop();
    const during = await flood(h, 300, 100_300);
    for (const id of [...first, ...during]) await waitForRequest(h, id, ['sent'], 120_000);
    const failOpen = await h.herald.metrics.count(h.herald.metrics.dedupFailOpen);
    assert.ok(failOpen > 0, 'sends without Redis were counted as fail-open');
    assert.equal(simReceived(h), 600, 'nothing lost, nothing twice');

    await redis.restart();
    // The client reconnects by itself (no restart of herald); wait until it has.
    const dedup = h.herald.stores.dedup;
    await waitFor(
      async () =>
        dedup.reserve([`probe-${Date.now()}`], 1_000).then(
          () => true,
          () => false,
        ),
      30_000,
      'reconnect',
    );
    const failOpenBefore = await h.herald.metrics.count(h.herald.metrics.dedupFailOpen);
    const afterwards = await flood(h, 100, 100_600);
    for (const id of afterwards) await waitForRequest(h, id, ['sent'], 60_000);
    const view = await h.call('GET', `/v1/requests/${afterwards[0]}`);
    const message = await h.call('GET', `/v1/messages/${view.body.messages[0].messageId}`);
    const sent = message.body.events.find((e: { status: string }) => e.status === 'sent');
    assert.equal(sent.dedupFailOpen, undefined, 'dedup checked again once Redis was back');
    assert.equal(await h.herald.metrics.count(h.herald.metrics.dedupFailOpen), failOpenBefore);
  });

  it('PostgreSQL cut off: accepting and sending go on, and history is complete once it returns', async () => {
    const proxy = await TcpProxy.start({ host: '127.0.0.1', port: 5432 });
    cleanups.push(() => proxy.cut());
    const h = await startTestHerald(
      productionEnv(uniqueNamespace('pg'), {
        HERALD_DATABASE_URL: `postgres://postgres@127.0.0.1:${proxy.port}/test`,
        HERALD_SIMULATOR_LATENCY_MS: '20',
      }),
    );
    cleanups.push(() => h.stop());
    const before = await flood(h, 200, 200_000);
    await waitFor(async () => simReceived(h) >= 50, 60_000, 'sending under way');
    await proxy.cut();
    const receivedAtCut = simReceived(h);
    // Accepted with PostgreSQL away (the accept path writes the history log, not the database),
    // and readable right away: the API remembered each request (read-your-writes).
    const during = await flood(h, 300, 200_200);
    const early = await h.call('GET', `/v1/requests/${during[0]}`);
    assert.equal(early.status, 200, JSON.stringify(early.body));
    assert.equal(early.body.messages.length, 100);
    await waitFor(async () => simReceived(h) >= 500, 120_000, 'every message sent while PostgreSQL is away');
    assert.ok(
      (await h.herald.metrics.historyLag.get()).values[0]!.value > 0,
      'history is behind its log while PostgreSQL is away',
    );
    assert.ok(simReceived(h) > receivedAtCut, 'sending went on during the outage');

    await proxy.restore();
    for (const id of [...before, ...during]) await waitForRequest(h, id, ['sent'], 120_000);
    const simulator = h.herald.fleet.simulator!;
    for (const id of during) {
      const view = await h.call('GET', `/v1/requests/${id}`);
      for (const message of view.body.messages) {
        const vendor = message.vendor as string;
        assert.equal(
          simulator.countFor(vendor, message.messageId),
          1,
          'history matches the vendor, one by one',
        );
      }
    }
  });
});
