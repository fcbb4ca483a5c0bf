import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { SqliteDedupStore } from '../../../src/adapters/sqlite/sqlite-dedup-store.ts';
import { SqliteTransport } from '../../../src/adapters/sqlite/sqlite-transport.ts';
import { DEFAULT_REMOTE_CONFIG } from '../../../src/config/default-remote-config.ts';
import type { Channel } from '../../../src/core/domain/channel.ts';
import type { Lane } from '../../../src/core/domain/lane.ts';
import type { Envelope, OutboundMessage } from '../../../src/core/domain/message.ts';
import type { RemoteConfigDocument } from '../../../src/core/domain/remote-config.ts';
import { deferNightAds } from '../../../src/core/pipeline/defer-night-ads.ts';
import { decodeEnvelope, encodeEnvelope } from '../../../src/core/pipeline/envelope-codec.ts';
import { LaneWorker } from '../../../src/core/pipeline/lane-worker.ts';
import { allTopics, retryTopic, sendTopic } from '../../../src/core/pipeline/topics.ts';
import { VendorRouter } from '../../../src/core/routing/vendor-router.ts';
import { silentLogger } from '../../../src/observability/logger.ts';
import { HeraldMetrics } from '../../../src/observability/metrics.ts';
import type { MessageEvent } from '../../../src/ports/history-store.ts';
import type { OutgoingRecord, TransportRecord } from '../../../src/ports/transport.ts';
import type { Vendor } from '../../../src/ports/vendor.ts';
import { readTopic } from '../../support/read-topic.ts';
import { TEST_UNSUBSCRIBE_LINKS } from './lane-fixtures.ts';

/** Epoch ms of a KST wall-clock time (UTC+9). */
const kst = (day: number, hour: number) => Date.UTC(2026, 0, day, hour - 9);
const AT_23_KST = kst(15, 23);
const NEXT_8_KST = kst(16, 8);

function envelope(id: string, channel: Channel, extra: Partial<Envelope> = {}, lane: Lane = 'ad'): Envelope {
  return {
    messageId: id,
    requestId: 'r',
    clientId: 'c',
    key: `key-${id}`,
    channel,
    lane,
    to: channel === 'email' ? 'kim@example.com' : '01012345678',
    content: { body: '(광고) 헤럴드마트 세일\n무료수신거부 080-888-0327' },
    attempt: 1,
    expiresAt: AT_23_KST + 24 * 60 * 60 * 1000,
    createdAt: AT_23_KST,
    ...extra,
  };
}

/**
 * The night rule in the ad lane's worker, against the real embedded transport and dedup store,
 * with the clock injected: 23:00 KST.
 */
describe('LaneWorker (ad lane) at night', () => {
  let dir: string;
  let transport: SqliteTransport;
  let dedup: SqliteDedupStore;
  let events: MessageEvent[];
  let sentTo: string[];
  let worker: LaneWorker | undefined;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'herald-night-'));
    transport = new SqliteTransport({ path: join(dir, 'transport.db') });
    dedup = new SqliteDedupStore({ path: join(dir, 'dedup.db') });
    await transport.ensureTopics(allTopics().map((name) => ({ name, partitions: 2 })));
    events = [];
    sentTo = [];
  });

  afterEach(async () => {
    await worker?.stop();
    await transport.close();
    await dedup.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const config: RemoteConfigDocument = {
    ...DEFAULT_REMOTE_CONFIG,
    routing: {
      ...DEFAULT_REMOTE_CONFIG.routing,
      sms: [{ vendor: 'v', weight: 1 }],
      email: [{ vendor: 'v', weight: 1 }],
    },
  };

  function startAdWorker(now: number) {
    const vendor: Vendor = {
      id: 'v',
      channels: ['sms', 'email'],
      send: async (message: OutboundMessage) => {
        sentTo.push(message.messageId);
        return { vendorMessageId: message.messageId };
      },
      close: async () => {},
    };
    worker = new LaneWorker({
      lane: 'ad',
      transport,
      dedup,
      history: { appendEvents: async (batch) => void events.push(...batch), recordExpanded: async () => {} },
      recipientHashSecret: 'test-secret',
      unsubscribe: TEST_UNSUBSCRIBE_LINKS,
      templates: { get: async () => undefined },
      router: new VendorRouter({ vendors: [vendor], config: () => config }),
      config: () => config,
      metrics: new HeraldMetrics(),
      logger: silentLogger(),
      now: () => now,
    });
    return worker.start();
  }

  const produce = (envelopes: Envelope[]) =>
    transport.produce(
      envelopes.map((e) => ({ topic: sendTopic(e.lane, e.channel), key: e.key, value: encodeEnvelope(e) })),
    );

  const ids = (status: string) =>
    events
      .filter((e) => e.status === status)
      .map((e) => e.messageId)
      .sort();

  async function until(condition: () => boolean, what: string) {
    const deadline = Date.now() + 15_000;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  const readRetryTopic = (expected: number) => readTopic(transport, retryTopic('ad'), expected);

  it('defers an ad without night consent to 08:00 KST, and sends the consented and the e-mail one', async () => {
    await startAdWorker(AT_23_KST);
    await produce([
      envelope('no-consent', 'sms'),
      envelope('consented', 'sms', { nightAdConsent: true }),
      envelope('email', 'email'),
    ]);
    await until(() => ids('sent').length === 2 && ids('deferred').length === 1, 'two sent, one deferred');

    assert.deepEqual(sentTo.sort(), ['consented', 'email']);
    assert.deepEqual(ids('deferred'), ['no-consent']);
    const deferred = events.find((e) => e.status === 'deferred');
    assert.equal(deferred?.at, AT_23_KST);
    assert.equal(deferred?.attempt, 1);
    assert.match(deferred?.errorMessage ?? '', /until 2026-01-16 08:00 KST/);
    assert.match(deferred?.errorMessage ?? '', /§50③/);

    const [record, ...more] = await readRetryTopic(1);
    assert.equal(more.length, 0, 'only the deferred ad is on the retry topic');
    const back = decodeEnvelope(record!.value);
    assert.equal(back?.messageId, 'no-consent');
    assert.equal(back?.notBefore, NEXT_8_KST);
    assert.equal(back?.deferredForNight, true, 'waits in the night queue, not among retries');
    assert.equal(back?.attempt, 1, 'waiting for the morning is not a failed attempt');
    assert.equal(record?.key, 'key-no-consent');
  });

  it('takes no dedup key for a deferred ad, so the morning send is not refused as a duplicate', async () => {
    await startAdWorker(AT_23_KST);
    await produce([envelope('no-consent', 'sms')]);
    await until(() => ids('deferred').length === 1, 'deferred');
    assert.deepEqual(await dedup.reserve(['key-no-consent'], 1_000), ['reserved']);
  });

  it('sends every ad in the daytime', async () => {
    await startAdWorker(kst(15, 10));
    await produce([envelope('no-consent', 'sms'), envelope('consented', 'sms', { nightAdConsent: true })]);
    await until(() => ids('sent').length === 2, 'both sent');
    assert.deepEqual(ids('deferred'), []);
    assert.deepEqual(await readRetryTopic(0), []);
  });
});

describe('deferNightAds', () => {
  function narrowContext(lane: Lane, now: number) {
    const produced: OutgoingRecord[] = [];
    const history: MessageEvent[] = [];
    const context = {
      lane,
      now: () => now,
      sinks: {
        produce: { write: async (records: OutgoingRecord[]) => void produced.push(...records) },
        history: { write: async (events: MessageEvent[]) => void history.push(...events) },
      },
      metrics: new HeraldMetrics(),
    };
    return { context: context as unknown as Parameters<typeof deferNightAds>[0], produced, history };
  }

  const live = (e: Envelope) => ({
    record: {
      topic: sendTopic(e.lane, e.channel),
      partition: 0,
      offset: 0,
      key: e.key,
      value: '',
      timestamp: 0,
    },
    envelope: e,
  });

  it('leaves other lanes alone at night (the rule is for ads)', async () => {
    const { context, produced, history } = narrowContext('batch', AT_23_KST);
    const finished: TransportRecord[] = [];
    const items = [live(envelope('b', 'sms', {}, 'batch'))];
    assert.deepEqual(await deferNightAds(context, items, (r) => finished.push(r)), items);
    assert.deepEqual([produced, history, finished], [[], [], []]);
  });

  it('finishes a deferred record only after its retry record and history event are written', async () => {
    const { context, produced, history } = narrowContext('ad', kst(16, 7));
    const finished: { produced: number; history: number }[] = [];
    const sendable = await deferNightAds(context, [live(envelope('early', 'vms'))], () =>
      finished.push({ produced: produced.length, history: history.length }),
    );
    assert.deepEqual(sendable, []);
    assert.deepEqual(finished, [{ produced: 1, history: 1 }]);
    assert.equal(
      decodeEnvelope(produced[0]!.value)?.notBefore,
      NEXT_8_KST,
      '07:00 waits until 08:00 the same day',
    );
    assert.equal(produced[0]?.topic, retryTopic('ad'));
  });
});
