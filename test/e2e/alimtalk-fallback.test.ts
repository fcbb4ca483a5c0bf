import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ALL_ROLES, type RunningHerald, startHerald } from '../../src/app/herald.ts';
import { VENDOR_FACTORIES } from '../../src/app/vendor-factories.ts';
import { DEFAULT_REMOTE_CONFIG } from '../../src/config/default-remote-config.ts';
import { loadEnvConfig } from '../../src/config/env-config.ts';
import type { Envelope } from '../../src/core/domain/message.ts';
import type { RemoteConfigDocument, TextVendorSettings } from '../../src/core/domain/remote-config.ts';
import { newId } from '../../src/core/identity/ids.ts';
import { hashRecipient, maskRecipient } from '../../src/core/identity/recipient-privacy.ts';
import { encodeEnvelope } from '../../src/core/pipeline/envelope-codec.ts';
import { LaneWorker } from '../../src/core/pipeline/lane-worker.ts';
import { RetryWorker } from '../../src/core/pipeline/retry-worker.ts';
import { sendTopic } from '../../src/core/pipeline/topics.ts';
import { VendorRouter } from '../../src/core/routing/vendor-router.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import type { Vendor } from '../../src/ports/vendor.ts';
import { type SimulatorServer, startSimulatorServer } from '../../src/simulators/simulator-server.ts';
import type { TextVendorTrust } from '../../src/simulators/text/text-trust.ts';
import { dropSchema } from '../adapters/postgres/postgres-test-schema.ts';
import { productionEnginesSkip } from '../support/engines.ts';
import { call, phoneNumbers, TEST_KEY, waitFor } from '../support/herald-harness.ts';
import { productionEnv, uniqueNamespace } from '../support/production-env.ts';

const productionSkip = await productionEnginesSkip();
const TEMPLATE = 'ORDER_SHIPPED_FB';
const SENDER_NUMBER = '0212345678';
const POLICY = { timeoutMs: 5_000, breakerThreshold: 5, breakerHalfOpenAfterMs: 10_000 };
const TEXT_VENDORS = { 'nhn-alimtalk': 'alimtalk', 'nhn-sms': 'sms' } as const;

/** The remote config the lane runs on: AlimTalk through nhn-alimtalk, SMS/LMS through nhn-sms. */
const CONFIG: RemoteConfigDocument = {
  ...DEFAULT_REMOTE_CONFIG,
  routing: {
    ...DEFAULT_REMOTE_CONFIG.routing,
    alimtalk: [{ vendor: 'nhn-alimtalk', weight: 100 }],
    sms: [{ vendor: 'nhn-sms', weight: 100 }],
    lms: [{ vendor: 'nhn-sms', weight: 100 }],
  },
};

/** The real NHN adapters, built by their factories for a simulator that trusts generated accounts. */
function nhnAdapters(sim: SimulatorServer, trust: Record<string, TextVendorTrust>): Vendor[] {
  return Object.entries(TEXT_VENDORS).map(([id, channel]) => {
    const kind = id as 'nhn-alimtalk' | 'nhn-sms';
    const settings: TextVendorSettings = { ...POLICY, kind, endpoint: 'simulator' };
    const channels = channel === 'sms' ? (['sms', 'lms', 'mms'] as const) : (['alimtalk'] as const);
    const text = Object.fromEntries(Object.entries(trust).map(([v, t]) => [v, { ...t, file: '' }]));
    return VENDOR_FACTORIES[kind]!(
      { id, settings, channels: [...channels] },
      {
        simulatorUrl: sim.url,
        simulatorCredentials: { dir: '', fcm: {}, apns: {}, text },
        secrets: { readFile: () => assert.fail('no secret file at the simulator'), env: {} },
      },
    )();
  });
}

/**
 * 대체발송 end to end on herald's engines (embedded default; PostgreSQL, Redis and Kafka): AlimTalk
 * through the real NHN AlimTalk adapter and the fallback through the real NHN SMS adapter, at a
 * simulator whose Kakao audience says 20 of the 100 recipients are not KakaoTalk users (3019).
 *
 * Interim wiring until the other items of issue 10 land (the lead's integration): herald runs its
 * API and stores; the realtime lane and retry workers are built here over the same stores with the
 * NHN adapters (the default config does not route to them yet), and the request is queued as the API
 * will queue it once sender numbers and Kakao channels are registered per client (history's accepted
 * rows, one envelope per recipient with `from` and `kakaoSenders`). Everything after is herald's:
 * lane, dedup, delivery checks through the retry topic, the fallback's routing and history, and the
 * API's GET /v1/requests/:id and GET /v1/messages/:id.
 */
function describeFallback(engines: string, env: () => Record<string, string>, skip: string | false) {
  describe(`AlimTalk -> SMS fallback, each once (${engines})`, { skip }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'herald-fallback-'));
    let herald: RunningHerald;
    let sim: SimulatorServer;
    let vendors: Vendor[];
    let workers: { start(): Promise<void>; stop(): Promise<void> }[] = [];
    let recipientSecret = '';
    const get = (path: string) => call(herald.url!, 'GET', path);

    before(async () => {
      const config = loadEnvConfig({
        HERALD_PORT: '0',
        HERALD_DATA_DIR: dir,
        HERALD_BOOTSTRAP_API_KEY: TEST_KEY,
        HERALD_PARTITIONS: '4',
        ...env(),
      });
      recipientSecret = config.recipientHashSecret;
      herald = await startHerald(config, silentLogger(), { ...ALL_ROLES, lanes: [], retryLanes: [] });
      const trust = Object.fromEntries(
        Object.keys(TEXT_VENDORS).map((id) => [
          id,
          {
            kind: id as 'nhn-sms',
            accountId: randomBytes(8).toString('hex'),
            secret: randomBytes(8).toString('hex'),
          },
        ]),
      );
      sim = await startSimulatorServer({ vendors: { 'nhn-alimtalk': {}, 'nhn-sms': {} }, textTrust: trust });
      vendors = nhnAdapters(sim, trust);
      const common = { transport: herald.stores.transport, config: () => CONFIG, logger: silentLogger() };
      const lane = new LaneWorker({
        ...common,
        lane: 'realtime',
        dedup: herald.stores.dedup,
        history: herald.stores.history,
        templates: herald.stores.config,
        recipientHashSecret: config.recipientHashSecret,
        router: new VendorRouter({ vendors, config: () => CONFIG }),
        metrics: herald.metrics,
      });
      const retry = new RetryWorker({
        ...common,
        lane: 'realtime',
        history: herald.stores.history,
        // Checks come back within seconds: held in memory (holdInMemoryMs), never parked.
        schedule: {
          park: async () => assert.fail('nothing is parked'),
          claimDue: async () => [],
          remove: async () => {},
          count: async () => 0,
        },
        optOuts: herald.stores.config,
        recipientHashSecret: config.recipientHashSecret,
        metrics: herald.metrics,
      });
      workers = [lane, retry];
      await Promise.all(workers.map((worker) => worker.start()));
    });
    after(async () => {
      await Promise.all(workers.map((worker) => worker.stop()));
      await Promise.all((vendors ?? []).map((vendor) => vendor.close()));
      await sim?.close();
      await herald?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    /** What the API writes for an AlimTalk request of these recipients (see the note above). */
    async function queueAlimtalk(
      numbers: readonly string[],
      senderKey: string,
      secret: string,
    ): Promise<Envelope[]> {
      const now = Date.now();
      const requestId = newId(now);
      const envelopes = numbers.map(
        (to): Envelope => ({
          messageId: newId(now),
          requestId,
          clientId: 'default',
          key: randomBytes(16).toString('base64url'),
          channel: 'alimtalk',
          lane: 'realtime',
          to,
          from: SENDER_NUMBER,
          kakaoSenders: { 'nhn-alimtalk': senderKey },
          template: { code: TEMPLATE, vars: { name: '김민수' } },
          attempt: 1,
          expiresAt: now + 3_600_000,
          createdAt: now,
        }),
      );
      await herald.stores.history.recordAccepted({
        requestId,
        clientId: 'default',
        lane: 'realtime',
        channel: 'alimtalk',
        acceptedAt: now,
        messages: envelopes.map((e, index) => ({
          messageId: e.messageId,
          index,
          key: e.key,
          channel: 'alimtalk',
          recipientMasked: maskRecipient('alimtalk', e.to),
          recipientHash: hashRecipient(e.to, secret),
        })),
        duplicates: [],
      });
      await herald.stores.transport.produce(
        envelopes.map((e) => ({
          topic: sendTopic('realtime', 'alimtalk'),
          key: e.key,
          value: encodeEnvelope(e),
        })),
      );
      return envelopes;
    }

    it('100 recipients, 20 not on KakaoTalk: 80 delivered, 20 undelivered with 20 fallback SMS sent', async () => {
      const senderKey = randomBytes(20).toString('hex');
      sim.text.kakaoSenders.set('nhn-alimtalk', [senderKey]);
      const body = '#{name}님, 주문하신 상품이 출발했습니다.';
      sim.text.templates.put('nhn-alimtalk', {
        code: TEMPLATE,
        name: '출발 안내',
        senderId: senderKey,
        body,
        buttons: [],
        state: 'approved',
      });
      await herald.stores.config.putTemplate({
        code: TEMPLATE,
        channel: 'alimtalk',
        body,
        buttons: [],
        fallbackBody: '#{name}님 상품 출발',
      });
      const numbers = phoneNumbers(100, 5_000_000 + Math.floor(Math.random() * 1_000_000));
      sim.text.kakao.mark(numbers.slice(80), '3019');
      const envelopes = await queueAlimtalk(numbers, senderKey, recipientSecret);
      const requestId = envelopes[0]!.requestId;

      type Entry = { messageId: string; status: string; fallback?: { messageId: string; status: string } };
      const view = await waitFor(
        async () => {
          const response = await get(`/v1/requests/${requestId}`);
          const entries: Entry[] = response.body?.messages ?? [];
          const done =
            entries.length === 100 &&
            entries.every(
              (m) =>
                m.status === 'delivered' || (m.status === 'undelivered' && m.fallback?.status === 'sent'),
            );
          return done ? entries : undefined;
        },
        60_000,
        'every AlimTalk delivered, or undelivered with its fallback sent',
      );
      const delivered = view.filter((m) => m.status === 'delivered');
      const undelivered = view.filter((m) => m.status === 'undelivered');
      assert.equal(delivered.length, 80);
      assert.deepEqual(
        undelivered.map((m) => m.messageId).sort(),
        envelopes
          .slice(80)
          .map((e) => e.messageId)
          .sort(),
        'the 20 who are not KakaoTalk users',
      );
      for (const entry of view) assert.equal(sim.countFor('nhn-alimtalk', entry.messageId), 1);
      for (const entry of undelivered) assert.equal(sim.countFor('nhn-sms', entry.fallback!.messageId), 1);
      for (const entry of delivered) assert.equal(entry.fallback, undefined);

      const alimtalk = (await get(`/v1/messages/${undelivered[0]!.messageId}`)).body;
      assert.equal(alimtalk.status, 'undelivered');
      assert.equal(alimtalk.error.code, 'HERALD_KAKAO_UNDELIVERED');
      assert.match(alimtalk.error.message, /^\[3019\]/);
      assert.deepEqual(
        alimtalk.events.map((e: { status: string }) => e.status),
        ['accepted', 'sending', 'sent', 'undelivered'],
      );
      assert.deepEqual(alimtalk.fallback, {
        messageId: undelivered[0]!.fallback!.messageId,
        channel: 'sms',
        status: 'sent',
        vendor: 'nhn-sms',
      });
      const sms = (await get(`/v1/messages/${alimtalk.fallback.messageId}`)).body;
      assert.equal(sms.channel, 'sms');
      assert.equal(sms.fallbackOf, alimtalk.messageId);
      assert.equal(sms.status, 'sent');
      assert.equal(sms.recipient, alimtalk.recipient);
      const kakao = (await get(`/v1/messages/${delivered[0]!.messageId}`)).body;
      assert.equal(kakao.status, 'delivered');
      assert.equal(kakao.vendor, 'nhn-alimtalk');
    });
  });
}

describeFallback('embedded default', () => ({}), false);

const namespace = uniqueNamespace('fallback');
describeFallback(
  'production engines',
  () => productionEnv(namespace, { HERALD_SIMULATOR_LATENCY_MS: '1' }),
  productionSkip,
);
after(() => dropSchema(`herald_${namespace}`));
