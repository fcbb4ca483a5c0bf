import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { SqliteDedupStore } from '../../../src/adapters/sqlite/sqlite-dedup-store.ts';
import { SqliteTransport } from '../../../src/adapters/sqlite/sqlite-transport.ts';
import { findRemoteConfigProblems } from '../../../src/api/remote-config-rules.ts';
import { SIMULATOR_PUSH_PROVIDERS } from '../../../src/app/vendor-fleet.ts';
import { SIMULATOR_VENDORS } from '../../../src/config/default-remote-config.ts';
import { type BoundName, REMOTE_CONFIG_BOUNDS } from '../../../src/config/remote-config-bounds.ts';
import { CHANNELS, type Channel } from '../../../src/core/domain/channel.ts';
import { LANES, type Lane } from '../../../src/core/domain/lane.ts';
import type { Envelope } from '../../../src/core/domain/message.ts';
import { PUSH_PROVIDERS, type PushProvider } from '../../../src/core/domain/push-provider.ts';
import type { RemoteConfigDocument, VendorRoute } from '../../../src/core/domain/remote-config.ts';
import { encodeEnvelope } from '../../../src/core/pipeline/envelope-codec.ts';
import { LaneWorker } from '../../../src/core/pipeline/lane-worker.ts';
import { allTopics, sendTopic } from '../../../src/core/pipeline/topics.ts';
import { VendorRouter } from '../../../src/core/routing/vendor-router.ts';
import { silentLogger } from '../../../src/observability/logger.ts';
import { HeraldMetrics } from '../../../src/observability/metrics.ts';
import type { MessageEvent } from '../../../src/ports/history-store.ts';
import type { Vendor } from '../../../src/ports/vendor.ts';
import { type SimulatorServer, startSimulatorServer } from '../../../src/simulators/simulator-server.ts';
import { createSimulatorVendor } from '../../../src/vendors/http-simulator-vendor.ts';
import { TEST_UNSUBSCRIBE_LINKS } from './lane-fixtures.ts';

/**
 * Item 4's promise as a property: no remote config that passes validation can make a healthy
 * vendor's calls fail. Documents are drawn from the whole valid space (every range of
 * remote-config-bounds.ts, its ends drawn often; any vendor serving a channel, any weight), each is
 * applied to a lane worker whose router sends to the in-process simulators (healthy: a few ms, no
 * errors), and one message per channel (push: one per push provider, FCM and APNs) must end `sent`,
 * except where the document switched the channel (or the push provider) off: every weight 0, or no
 * route to that provider at all. No vendor may be called for those.
 */
const RUNS = 25;

const within = (name: BoundName) => {
  const { min, max } = REMOTE_CONFIG_BOUNDS[name];
  return fc.oneof(fc.constantFrom(min, max), fc.integer({ min, max }));
};
/** An integer from the bound's minimum up to `max` (when a rule ties it to another field). */
const upTo = (name: BoundName, max: number) => {
  const { min } = REMOTE_CONFIG_BOUNDS[name];
  return fc.oneof(fc.constantFrom(min, max), fc.integer({ min, max }));
};

const routesFor = (channel: Channel): fc.Arbitrary<VendorRoute[]> => {
  const serving = [...SIMULATOR_VENDORS]
    .filter(([, channels]) => channels.includes(channel))
    .map(([id]) => id);
  return fc
    .shuffledSubarray(serving, { minLength: 1 })
    .chain((vendors) =>
      fc.tuple(...vendors.map((vendor) => within('vendorWeight').map((weight) => ({ vendor, weight })))),
    );
};

const laneSettings = within('batchSize').chain((batchSize) =>
  fc.record({
    batchSize: fc.constant(batchSize),
    maxInFlight: fc.integer({ min: batchSize, max: REMOTE_CONFIG_BOUNDS.maxInFlight.max }),
    metadataConcurrency: within('metadataConcurrency'),
    sendConcurrency: within('sendConcurrency'),
  }),
);

const rateLimit = fc.record({
  requestsPerSecond: within('requestsPerSecond'),
  requestBurst: within('requestBurst'),
  recipientsPerSecond: within('recipientsPerSecond'),
  recipientBurst: within('recipientBurst'),
});

const validDocument: fc.Arbitrary<RemoteConfigDocument> = fc
  .record({ reserveTtlMs: within('dedupReserveTtlMs'), maxDelayMs: within('retryMaxDelayMs') })
  .chain(({ reserveTtlMs, maxDelayMs }) =>
    fc.record({
      routing: fc.record(
        Object.fromEntries(CHANNELS.map((channel) => [channel, routesFor(channel)])) as Record<
          Channel,
          fc.Arbitrary<VendorRoute[]>
        >,
      ),
      vendors: fc.record(
        Object.fromEntries(
          [...SIMULATOR_VENDORS.keys()].map((id) => [
            id,
            fc.record({
              // A reservation must outlive the call: the rule ties the time limit to reserveTtlMs.
              timeoutMs: upTo('timeoutMs', Math.min(REMOTE_CONFIG_BOUNDS.timeoutMs.max, reserveTtlMs - 1)),
              breakerThreshold: within('breakerThreshold'),
              breakerHalfOpenAfterMs: within('breakerHalfOpenAfterMs'),
            }),
          ]),
        ),
      ),
      lanes: fc.record({ realtime: laneSettings, batch: laneSettings, ad: laneSettings }),
      retry: fc.record({
        baseDelayMs: upTo(
          'retryBaseDelayMs',
          Math.min(REMOTE_CONFIG_BOUNDS.retryBaseDelayMs.max, maxDelayMs),
        ),
        maxDelayMs: fc.constant(maxDelayMs),
        maxAttempts: within('retryMaxAttempts'),
      }),
      dedup: fc.record({ windowMs: within('dedupWindowMs'), reserveTtlMs: fc.constant(reserveTtlMs) }),
      smsAutoUpgrade: fc.boolean(),
      defaultExpiresInSeconds: within('defaultExpiresInSeconds'),
      rateLimits: fc.record({
        default: rateLimit,
        clients: fc.dictionary(fc.constantFrom('shop', 'rider', 'ops'), rateLimit),
        failedAuth: fc.record({
          maxFailures: within('failedAuthMaxFailures'),
          windowSeconds: within('failedAuthWindowSeconds'),
          blockSeconds: within('failedAuthBlockSeconds'),
        }),
      }),
    }),
  );

const TERMINAL = new Set(['sent', 'failed', 'expired', 'retrying', 'duplicate']);

describe('any valid remote config keeps a healthy vendor sending', () => {
  let simulator: SimulatorServer;
  let vendors: Vendor[];
  let run = 0;

  before(async () => {
    const healthy = { latency: { medianMs: 2, p99Ms: 8 } };
    simulator = await startSimulatorServer({
      vendors: Object.fromEntries([...SIMULATOR_VENDORS.keys()].map((id) => [id, healthy])),
    });
    vendors = [...SIMULATOR_VENDORS].map(([id, channels]) =>
      createSimulatorVendor({
        id,
        channels,
        baseUrl: simulator.url,
        pushProvider: SIMULATOR_PUSH_PROVIDERS[id],
      }),
    );
  });

  after(async () => {
    await Promise.all(vendors.map((vendor) => vendor.close()));
    await simulator.close();
  });

  /** Applies `document` to a fresh lane worker, sends one message per channel; the events of each. */
  async function sendOnePerChannel(document: RemoteConfigDocument, lane: Lane) {
    const dir = mkdtempSync(join(tmpdir(), 'herald-valid-config-'));
    const transport = new SqliteTransport({ path: join(dir, 'transport.db') });
    const dedup = new SqliteDedupStore({ path: join(dir, 'dedup.db') });
    const events: MessageEvent[] = [];
    const worker = new LaneWorker({
      lane,
      transport,
      dedup,
      history: { appendEvents: async (batch) => void events.push(...batch), recordExpanded: async () => {} },
      recipientHashSecret: 'test-secret',
      unsubscribe: TEST_UNSUBSCRIBE_LINKS,
      templates: { get: async () => undefined },
      router: new VendorRouter({ vendors, config: () => document }),
      config: () => document,
      metrics: new HeraldMetrics(),
      logger: silentLogger(),
    });
    try {
      await transport.ensureTopics(allTopics().map((name) => ({ name, partitions: 2 })));
      await worker.start();
      run += 1;
      const envelopes = ADDRESSES.map(({ name, channel, pushProvider }) =>
        envelope(`r${run}-${name}`, channel, lane, pushProvider),
      );
      await transport.produce(
        envelopes.map((e) => ({ topic: sendTopic(lane, e.channel), key: e.key, value: encodeEnvelope(e) })),
      );
      await until(() => envelopes.every((e) => outcomeOf(events, e.messageId) !== undefined));
      return new Map(
        envelopes.map((e, i) => [
          ADDRESSES[i]!,
          { messageId: e.messageId, ...outcomeOf(events, e.messageId)! },
        ]),
      );
    } finally {
      await worker.stop();
      await transport.close();
      await dedup.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it(`sends every message of a routed channel, over ${RUNS} generated documents`, async () => {
    await fc.assert(
      fc.asyncProperty(validDocument, fc.constantFrom(...LANES), async (document, lane) => {
        assert.deepEqual(
          findRemoteConfigProblems(document, SIMULATOR_VENDORS),
          [],
          'generated a valid document',
        );
        const outcomes = await sendOnePerChannel(document, lane);
        for (const [{ name: channel, channel: routed, pushProvider }, outcome] of outcomes) {
          const { messageId, status, errorCode } = outcome;
          const switchedOff = document.routing[routed].every(
            (route) =>
              route.weight === 0 ||
              (pushProvider !== undefined && SIMULATOR_PUSH_PROVIDERS[route.vendor] !== pushProvider),
          );
          const calls = [...SIMULATOR_VENDORS.keys()].reduce(
            (n, id) => n + simulator.countFor(id, messageId),
            0,
          );
          if (switchedOff) {
            // The kill switch (retried, expired or failed by the retry settings): never a vendor call.
            assert.notEqual(status, 'sent', channel);
            assert.equal(calls, 0, channel);
          } else {
            assert.deepEqual(
              { status, errorCode, calls },
              { status: 'sent', errorCode: undefined, calls: 1 },
              channel,
            );
          }
        }
      }),
      { numRuns: RUNS },
    );
  });
});

/** One address per channel, and one per push provider: push is routed by the token's provider. */
const ADDRESSES: readonly { name: string; channel: Channel; pushProvider?: PushProvider }[] = [
  ...CHANNELS.filter((channel) => channel !== 'push').map((channel) => ({ name: channel, channel })),
  ...PUSH_PROVIDERS.map((pushProvider) => ({
    name: `push-${pushProvider}`,
    channel: 'push' as const,
    pushProvider,
  })),
];

const PUSH_TOKENS: Readonly<Record<PushProvider, string>> = {
  fcm: `fcm-installation-1:APA91b${'x'.repeat(140)}`,
  apns: 'ab'.repeat(32),
};

function envelope(id: string, channel: Channel, lane: Lane, pushProvider?: PushProvider): Envelope {
  const now = Date.now();
  return {
    messageId: id,
    requestId: 'property',
    clientId: 'shop',
    key: `key-${id}`,
    channel,
    lane,
    to:
      channel === 'email' ? 'someone@example.com' : pushProvider ? PUSH_TOKENS[pushProvider] : '01012345678',
    ...(pushProvider ? { pushProvider } : {}),
    content: { body: 'hello' },
    attempt: 1,
    expiresAt: now + 60_000,
    createdAt: now,
    // The night rule would defer ads between 21:00 and 08:00 KST; consent keeps the run about config.
    nightAdConsent: true,
  };
}

/** The first terminal event of a message (status and error code), once there is one. */
function outcomeOf(events: readonly MessageEvent[], messageId: string) {
  const event = events.find((e) => e.messageId === messageId && TERMINAL.has(e.status));
  return event && { status: event.status, errorCode: event.errorCode };
}

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('no outcome for every message within 20 s');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
