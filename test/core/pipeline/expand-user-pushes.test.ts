import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LocalVendorRate } from '../../../src/adapters/vendor-rate/local-vendor-rate.ts';
import { DEFAULT_REMOTE_CONFIG } from '../../../src/config/default-remote-config.ts';
import { HeraldError } from '../../../src/core/domain/errors.ts';
import type { Envelope, OutboundMessage } from '../../../src/core/domain/message.ts';
import type { PushProvider } from '../../../src/core/domain/push-provider.ts';
import { hashRecipient } from '../../../src/core/identity/recipient-privacy.ts';
import { ConcurrencyLimit } from '../../../src/core/pipeline/concurrency-limit.ts';
import { decodeEnvelope, encodeEnvelope } from '../../../src/core/pipeline/envelope-codec.ts';
import { MetadataResolver } from '../../../src/core/pipeline/metadata-resolver.ts';
import { OutcomeSinks } from '../../../src/core/pipeline/outcome-sinks.ts';
import { type ProcessContext, processRecords } from '../../../src/core/pipeline/process-records.ts';
import { retryTopic, sendTopic } from '../../../src/core/pipeline/topics.ts';
import { VendorRouter } from '../../../src/core/routing/vendor-router.ts';
import { silentLogger } from '../../../src/observability/logger.ts';
import { HeraldMetrics } from '../../../src/observability/metrics.ts';
import type { DedupStore, ReserveVerdict } from '../../../src/ports/dedup-store.ts';
import type { DeviceRegistry, LiveDevice } from '../../../src/ports/device-registry.ts';
import type { MessageEvent, UserPushExpansion } from '../../../src/ports/history-store.ts';
import type { OutgoingRecord, TransportRecord } from '../../../src/ports/transport.ts';
import type { Vendor } from '../../../src/ports/vendor.ts';

const SECRET = 'test-recipient-secret';
const NOW = Date.UTC(2026, 11, 1, 3, 0, 0);
const FCM_TOKEN = 'cWzJ1Q8gRmWb0mUuW9kK3X:APA91bHun4MxP5egoKMwt2KZFBaFUH-1RYqx0HQ7g2nQ8zQ6l0T5Jf7';
const APNS_TOKEN = '6e18f1989e5350ca1ba5a454290440a6799f57842363456190a19c10561f796c';

function device(token: string, provider: PushProvider, app: string): LiveDevice {
  return { token, tokenHash: hashRecipient(token, SECRET), provider, platform: 'android', app };
}

const PHONE = device(FCM_TOKEN, 'fcm', 'com.shop.android');
const TABLET = { ...device(APNS_TOKEN, 'apns', 'com.shop.ios'), platform: 'ios' as const };

/** A push to user `userId` of `clientId`, as the API queues it. */
function userPush(id: string, userId: string, clientId = 'shop'): Envelope {
  return {
    messageId: `0193a5e8-0000-7000-8000-${id.padStart(12, '0')}`,
    requestId: 'r',
    clientId,
    key: `key-${id}`,
    channel: 'push',
    lane: 'realtime',
    to: '',
    userId,
    push: { data: { orderId: '42' } },
    content: { subject: '배송 시작', body: '주문하신 상품이 출발했습니다' },
    attempt: 1,
    expiresAt: NOW + 600_000,
    createdAt: NOW - 1_000,
  };
}

function recordOf(envelope: Envelope, offset: number): TransportRecord {
  return {
    topic: sendTopic(envelope.lane, envelope.channel),
    partition: 0,
    offset,
    key: envelope.key,
    value: encodeEnvelope(envelope),
    timestamp: NOW,
  };
}

type Registry = Pick<DeviceRegistry, 'liveDevicesOf' | 'markDead'>;

/**
 * processRecords over narrow literals: an in-memory dedup store with the port's verdicts, a
 * recording history, registry and transport, and one vendor per push provider that records what
 * it was given and answers as `answer` says.
 */
function lane(
  devices: Registry | undefined,
  answer: (m: OutboundMessage) => HeraldError | undefined = () => undefined,
) {
  const seen = {
    events: [] as MessageEvent[],
    expansions: [] as UserPushExpansion[],
    produced: [] as OutgoingRecord[],
    sent: [] as OutboundMessage[],
    finished: [] as { offset: number; eventsSoFar: number }[],
  };
  const keys = new Map<string, 'reserved' | 'sent'>();
  const dedup: Pick<DedupStore, 'reserve' | 'confirm' | 'release'> = {
    reserve: async (list) =>
      list.map((key): ReserveVerdict => {
        const state = keys.get(key);
        if (state) return state === 'sent' ? 'sent' : 'in-flight';
        keys.set(key, 'reserved');
        return 'reserved';
      }),
    confirm: async (list) => {
      for (const key of list) keys.set(key, 'sent');
    },
    release: async (list) => {
      for (const key of list) keys.delete(key);
    },
  };
  const vendor = (provider: PushProvider): Vendor => ({
    id: provider,
    channels: ['push'],
    pushProvider: provider,
    send: async (message) => {
      seen.sent.push(message);
      const error = answer(message);
      if (error) throw error;
      return { vendorMessageId: `sent-${message.messageId}` };
    },
    close: async () => {},
  });
  const config = () => DEFAULT_REMOTE_CONFIG;
  const logger = silentLogger();
  const metrics = new HeraldMetrics();
  const sinks = new OutcomeSinks({
    history: {
      appendEvents: async (events) => void seen.events.push(...events),
      recordExpanded: async (expansions) => void seen.expansions.push(...expansions),
    },
    dedup,
    transport: { produce: async (records) => void seen.produced.push(...records) },
    ...(devices && { devices }),
    config,
    logger,
  });
  const context: ProcessContext = {
    lane: 'realtime',
    dedup,
    sinks,
    config,
    metrics,
    logger,
    now: () => NOW,
    router: new VendorRouter({ vendors: [vendor('fcm'), vendor('apns')], config }),
    metadata: new MetadataResolver({ get: async () => undefined }),
    metadataPool: new ConcurrencyLimit(4),
    receiptPacer: new LocalVendorRate(),
    sendPool: new ConcurrencyLimit(8),
    ...(devices && { devices }),
    recipientHashSecret: SECRET,
  };
  const run = (envelopes: readonly Envelope[]) =>
    processRecords(
      context,
      envelopes.map((e, i) => recordOf(e, i)),
      (record) => seen.finished.push({ offset: record.offset, eventsSoFar: seen.events.length }),
      new AbortController().signal,
    );
  const statusesOf = (messageId: string) =>
    seen.events.filter((e) => e.messageId === messageId).map((e) => e.status);
  return { seen, run, metrics, statusesOf };
}

/** A registry literal: the devices of each `client user`, and every call it was given. */
function registry(devicesOf: Record<string, LiveDevice[]>) {
  const calls = { lookups: [] as [string, string[]][], deaths: [] as unknown[] };
  const devices: Registry = {
    async liveDevicesOf(clientId, userIds) {
      calls.lookups.push([clientId, [...userIds]]);
      return new Map(userIds.map((id) => [id, devicesOf[`${clientId} ${id}`] ?? []]));
    },
    async markDead(clientId, deaths, at) {
      calls.deaths.push({ clientId, deaths, at });
    },
  };
  return { devices, calls };
}

describe('pushes to users (expand-user-pushes.ts through processRecords)', () => {
  it("sends one message per live device, to each device's provider, with one registry lookup per client", async () => {
    const { devices, calls } = registry({
      'shop u1': [PHONE, TABLET],
      'shop u2': [PHONE],
      'cafe u1': [TABLET],
    });
    const { seen, run, statusesOf } = lane(devices);
    const parents = [userPush('1', 'u1'), userPush('2', 'u2'), userPush('3', 'u1', 'cafe')];
    await run(parents);

    assert.deepEqual(calls.lookups, [
      ['shop', ['u1', 'u2']],
      ['cafe', ['u1']],
    ]);
    const toU1 = seen.sent.filter((m) =>
      seen.expansions[0]!.children.some((c) => c.messageId === m.messageId),
    );
    assert.deepEqual(toU1.map((m) => [m.to, m.push?.provider, m.push?.app]).sort(), [
      [APNS_TOKEN, 'apns', 'com.shop.ios'],
      [FCM_TOKEN, 'fcm', 'com.shop.android'],
    ]);
    assert.equal(seen.sent.length, 4, '2 + 1 + 1 devices');
    for (const parent of parents) assert.deepEqual(statusesOf(parent.messageId), ['expanded']);
    const first = seen.expansions[0]!;
    assert.equal(first.parentMessageId, parents[0]!.messageId);
    assert.equal(first.createdAt, parents[0]!.createdAt, "the parent's time, the same on redelivery");
    assert.deepEqual(
      first.children.map((c) => [c.recipientMasked, c.recipientHash]),
      [
        [`${FCM_TOKEN.slice(0, 6)}****`, PHONE.tokenHash],
        [`${APNS_TOKEN.slice(0, 6)}****`, TABLET.tokenHash],
      ],
    );
    for (const child of first.children) assert.deepEqual(statusesOf(child.messageId), ['sending', 'sent']);
    const expandedAt = seen.events.findIndex((e) => e.messageId === first.parentMessageId);
    const firstChildEvent = seen.events.findIndex((e) => e.messageId === first.children[0]!.messageId);
    assert.ok(expandedAt < firstChildEvent, 'the parent is expanded in history before a child is sent');
  });

  it('gives each device message the content, options, title and expiry of the push', async () => {
    const { devices } = registry({ 'shop u1': [TABLET] });
    const { seen, run } = lane(devices);
    const parent = userPush('1', 'u1');
    await run([parent]);
    const [message] = seen.sent;
    assert.equal(message?.body, parent.content?.body);
    assert.deepEqual(message?.push, {
      provider: 'apns',
      app: 'com.shop.ios',
      title: '배송 시작',
      options: { data: { orderId: '42' } },
      expiresAt: parent.expiresAt,
    });
    assert.equal(message?.expiresAt, parent.expiresAt);
    assert.match(
      message?.messageId ?? '',
      /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('finishes the parent record once, after every device message has its outcome', async () => {
    const { devices } = registry({ 'shop u1': [PHONE, TABLET] });
    const { seen, run } = lane(devices);
    await run([userPush('1', 'u1')]);
    assert.equal(seen.finished.length, 1);
    const sentEvents = seen.events.filter((e) => e.status === 'sent').length;
    assert.equal(sentEvents, 2);
    assert.equal(seen.finished[0]!.eventsSoFar, seen.events.length, 'finished after the last event');
  });

  it('makes the same device messages when the parent is delivered again, and sends none twice', async () => {
    const { devices } = registry({ 'shop u1': [PHONE, TABLET] });
    const { seen, run, statusesOf } = lane(devices);
    const parent = userPush('1', 'u1');
    await run([parent]);
    await run([parent]);
    const [first, second] = seen.expansions;
    assert.deepEqual(first?.children, second?.children, 'same ids, keys and hashes');
    assert.equal(seen.sent.length, 2, 'the redelivery reached no vendor');
    for (const child of first!.children) {
      assert.deepEqual(statusesOf(child.messageId), ['sending', 'sent', 'duplicate']);
    }
  });

  it('fails a push to a user with no live device with HERALD_NO_DEVICES, and sends nothing', async () => {
    const { devices } = registry({});
    const { seen, run } = lane(devices);
    const parent = userPush('1', 'nobody');
    await run([parent]);
    assert.equal(seen.sent.length, 0);
    assert.deepEqual(
      seen.events.map((e) => [e.status, e.errorCode]),
      [['failed', 'HERALD_NO_DEVICES']],
    );
    assert.equal(seen.finished.length, 1);
    assert.equal(seen.produced.length, 0, 'not retried');
  });

  it('retries a push to a user while the registry cannot be read, and sends the rest of the batch', async () => {
    const devices: Registry = {
      liveDevicesOf: async () => {
        throw new HeraldError('HERALD_UNAVAILABLE', 'connection refused', { retryable: true });
      },
      markDead: async () => {},
    };
    const { seen, run, statusesOf } = lane(devices);
    const parent = userPush('1', 'u1');
    const direct: Envelope = { ...userPush('2', 'x'), userId: undefined, to: FCM_TOKEN, pushProvider: 'fcm' };
    await run([parent, direct]);
    assert.deepEqual(statusesOf(parent.messageId), ['retrying']);
    assert.equal(seen.events.find((e) => e.status === 'retrying')?.errorCode, 'HERALD_UNAVAILABLE');
    assert.equal(seen.produced[0]?.topic, retryTopic('realtime'));
    assert.equal(decodeEnvelope(seen.produced[0]!.value)?.attempt, 2);
    assert.deepEqual(statusesOf(direct.messageId), ['sending', 'sent']);
    assert.equal(seen.finished.length, 2);
  });
});

describe('dead device tokens', () => {
  const unregistered = () =>
    new HeraldError('HERALD_TOKEN_INVALID', 'the registration token is not registered', {
      vendorCode: 'UNREGISTERED',
    });

  it('marks a token the push service calls dead in the registry at once, counts it, and fails the message', async () => {
    const { devices, calls } = registry({ 'shop u1': [PHONE, TABLET] });
    const { seen, run, metrics } = lane(devices, (m) => (m.to === FCM_TOKEN ? unregistered() : undefined));
    await run([userPush('1', 'u1')]);
    assert.deepEqual(calls.deaths, [
      { clientId: 'shop', deaths: [{ tokenHash: PHONE.tokenHash, reason: 'UNREGISTERED' }], at: NOW },
    ]);
    assert.equal(await metrics.count(metrics.pushTokensDead, { provider: 'fcm' }), 1);
    const failed = seen.events.filter((e) => e.status === 'failed');
    assert.deepEqual(
      failed.map((e) => e.errorCode),
      ['HERALD_TOKEN_INVALID'],
    );
    assert.equal(seen.produced.length, 0, 'a dead token is never retried');
    assert.equal(seen.events.filter((e) => e.status === 'sent').length, 1, 'the live device still got it');
  });

  it('marks a token sent to directly too, hashed as the registry hashes it (APNs in lower case)', async () => {
    const { devices, calls } = registry({});
    const { run } = lane(devices, () => unregistered());
    const direct: Envelope = { ...userPush('1', 'x'), userId: undefined, to: APNS_TOKEN.toUpperCase() };
    await run([direct]);
    assert.deepEqual(calls.deaths, [
      { clientId: 'shop', deaths: [{ tokenHash: TABLET.tokenHash, reason: 'UNREGISTERED' }], at: NOW },
    ]);
  });

  it('ends the message failed even when the registry cannot be written (logged, not fatal)', async () => {
    const devices: Registry = {
      liveDevicesOf: async () => new Map([['u1', [PHONE]]]),
      markDead: async () => {
        throw new HeraldError('HERALD_UNAVAILABLE', 'connection refused', { retryable: true });
      },
    };
    const { seen, run } = lane(devices, () => unregistered());
    await run([userPush('1', 'u1')]);
    assert.equal(seen.events.find((e) => e.status === 'failed')?.errorCode, 'HERALD_TOKEN_INVALID');
    assert.equal(seen.finished.length, 1);
  });
});
