import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LocalVendorRate } from '../../../src/adapters/vendor-rate/local-vendor-rate.ts';
import { DEFAULT_REMOTE_CONFIG } from '../../../src/config/default-remote-config.ts';
import type { DeliveryReceipt } from '../../../src/core/domain/delivery-receipt.ts';
import { HeraldError } from '../../../src/core/domain/errors.ts';
import type { Envelope, OutboundMessage } from '../../../src/core/domain/message.ts';
import { BatchingWriter } from '../../../src/core/pipeline/batching-writer.ts';
import { ConcurrencyLimit } from '../../../src/core/pipeline/concurrency-limit.ts';
import { CHECK_WINDOW_MS } from '../../../src/core/pipeline/delivery-checks.ts';
import { decodeEnvelope, encodeEnvelope } from '../../../src/core/pipeline/envelope-codec.ts';
import { MetadataResolver } from '../../../src/core/pipeline/metadata-resolver.ts';
import { OutcomeSinks } from '../../../src/core/pipeline/outcome-sinks.ts';
import { type ProcessContext, processRecords } from '../../../src/core/pipeline/process-records.ts';
import { retryStranded } from '../../../src/core/pipeline/retry-stranded.ts';
import { RECEIPTS_TOPIC, retryTopic, sendTopic } from '../../../src/core/pipeline/topics.ts';
import { decodeReceiptRecord } from '../../../src/core/receipts/receipt-codec.ts';
import { receiptEvent } from '../../../src/core/receipts/receipt-event.ts';
import { VendorRouter } from '../../../src/core/routing/vendor-router.ts';
import type { AlimTalkTemplate } from '../../../src/core/templates/alimtalk-template.ts';
import { silentLogger } from '../../../src/observability/logger.ts';
import { HeraldMetrics } from '../../../src/observability/metrics.ts';
import type { DedupStore, ReserveVerdict } from '../../../src/ports/dedup-store.ts';
import type { MessageEvent, UserPushExpansion, VendorMessageRef } from '../../../src/ports/history-store.ts';
import type { OutgoingRecord, TransportRecord } from '../../../src/ports/transport.ts';
import type { DeliveryCheck, Vendor } from '../../../src/ports/vendor.ts';

const NOW = Date.UTC(2026, 11, 1, 3, 0, 0);
const TEMPLATE: AlimTalkTemplate = {
  clientId: 'shop',
  code: 'order-shipped',
  name: 'order shipped',
  body: '#{name}님, 주문하신 상품이 출발했습니다.',
  buttons: [],
  fallbackBody: '#{name}님 상품 출발',
  version: 1,
  revision: 1,
  state: 'approved',
  vendors: { 'nhn-alimtalk': { code: 'order-shipped', state: 'approved', syncedAt: NOW } },
  createdAt: NOW,
  updatedAt: NOW,
};

function alimtalk(id: string, overrides: Partial<Envelope> = {}): Envelope {
  return {
    messageId: `0193a5e8-0000-7000-8000-${id.padStart(12, '0')}`,
    requestId: 'r',
    clientId: 'shop',
    key: `key-${id}`,
    channel: 'alimtalk',
    lane: 'realtime',
    to: '01012345678',
    from: '0212345678',
    template: { code: TEMPLATE.code, vars: { name: '김민수' } },
    attempt: 1,
    expiresAt: NOW + 3_600_000,
    createdAt: NOW - 1_000,
    ...overrides,
  };
}

function recordOf(value: string, offset: number): TransportRecord {
  const envelope = decodeEnvelope(value)!;
  return {
    topic: sendTopic(envelope.lane, envelope.channel),
    partition: 0,
    offset,
    key: envelope.key,
    value,
    timestamp: NOW,
  };
}

/**
 * processRecords over narrow literals: an in-memory dedup store, a recording history and
 * transport, an AlimTalk vendor (nhn-alimtalk) whose look-up answers `results` in turn (or throws),
 * and an SMS vendor (nhn-sms, sens-sms, solapi-sms) recording what it sent.
 */
function lane(
  options: { results?: (DeliveryCheck | HeraldError)[]; checks?: boolean; template?: AlimTalkTemplate } = {},
) {
  const seen = {
    events: [] as MessageEvent[],
    expansions: [] as UserPushExpansion[],
    produced: [] as OutgoingRecord[],
    sent: [] as OutboundMessage[],
    looked: [] as string[],
    reserved: [] as string[],
    finished: [] as number[],
    /** The dedup confirmations and the records produced, in the order they were made. */
    steps: [] as string[],
  };
  const keys = new Map<string, 'reserved' | 'sent'>();
  const dedup: Pick<DedupStore, 'reserve' | 'confirm' | 'release'> = {
    reserve: async (list) =>
      list.map((key): ReserveVerdict => {
        seen.reserved.push(key);
        const state = keys.get(key);
        if (state) return state === 'sent' ? 'sent' : 'in-flight';
        keys.set(key, 'reserved');
        return 'reserved';
      }),
    confirm: async (list) => {
      for (const key of list) keys.set(key, 'sent');
      seen.steps.push(...list.map((key) => `confirm ${key}`));
    },
    release: async (list) => {
      for (const key of list) keys.delete(key);
    },
  };
  const results = [...(options.results ?? [])];
  const kakao: Vendor = {
    id: 'nhn-alimtalk',
    channels: ['alimtalk'],
    send: async (message) => {
      seen.sent.push(message);
      return { vendorMessageId: `req-1:${message.messageId}` };
    },
    ...(options.checks !== false && {
      checkDelivery: async (vendorMessageId: string) => {
        seen.looked.push(vendorMessageId);
        const result = results.shift() ?? { state: 'pending' };
        if (result instanceof HeraldError) throw result;
        return result;
      },
    }),
    close: async () => {},
  };
  const sms = (id: string): Vendor => ({
    id,
    channels: ['sms', 'lms'],
    send: async (message) => {
      seen.sent.push(message);
      return { vendorMessageId: `sms-${message.messageId}` };
    },
    close: async () => {},
  });
  const config = () => DEFAULT_REMOTE_CONFIG;
  const metrics = new HeraldMetrics();
  const sinks = new OutcomeSinks({
    history: {
      appendEvents: async (events) => void seen.events.push(...events),
      recordExpanded: async (expansions) => void seen.expansions.push(...expansions),
    },
    dedup,
    transport: {
      produce: async (records) => {
        seen.produced.push(...records);
        seen.steps.push(...records.map((record) => `produce ${record.topic}`));
      },
    },
    config,
    logger: silentLogger(),
  });
  let now = NOW;
  const template = options.template ?? TEMPLATE;
  const context: ProcessContext = {
    lane: 'realtime',
    dedup,
    sinks,
    config,
    metrics,
    logger: silentLogger(),
    now: () => now,
    router: new VendorRouter({
      vendors: [kakao, sms('nhn-sms'), sms('sens-sms'), sms('solapi-sms')],
      config,
      random: () => 0,
    }),
    metadata: new MetadataResolver({
      get: async (_clientId: string, code: string) => (code === template.code ? template : undefined),
    }),
    metadataPool: new ConcurrencyLimit(4),
    receiptPacer: new LocalVendorRate(),
    sendPool: new ConcurrencyLimit(8),
    recipientHashSecret: 'secret',
  };
  const run = async (values: readonly string[]) => {
    await processRecords(
      context,
      values.map((value, i) => recordOf(value, i)),
      (record) => seen.finished.push(record.offset),
      new AbortController().signal,
    );
  };
  /** Takes what was produced so far (and forgets it), as the next step's input. */
  const take = () => seen.produced.splice(0);
  return { seen, run, take, metrics, setNow: (at: number) => (now = at) };
}

/** The receipts among produced records (Kakao's results go to the receipts topic). */
function receiptsIn(records: readonly OutgoingRecord[]): DeliveryReceipt[] {
  return records
    .filter((record) => record.topic === RECEIPTS_TOPIC)
    .map((record) => decodeReceiptRecord(record.value)!.receipt);
}

/** The AlimTalk a receipt matches, as the receipts worker finds it (for the event it would write). */
const SENT_REF: VendorMessageRef = {
  messageId: 'm',
  clientId: 'shop',
  channel: 'alimtalk',
  lane: 'realtime',
  status: 'sent',
  vendorMessageId: 'v',
};

describe('AlimTalk delivery checks and fallback (delivery-checks.ts through processRecords)', () => {
  it('queues the delivery check before it confirms the key, so a crash between never strands an AlimTalk at sent', async () => {
    // A redelivery after the confirmation is recorded as a duplicate and sends nothing, so the check
    // must be queued by then: the kill drill once found an AlimTalk left `sent` without one.
    const { seen, run } = lane();
    await run([encodeEnvelope(alimtalk('1'))]);
    assert.deepEqual(seen.steps, [`produce ${retryTopic('realtime')}`, 'confirm key-1']);
  });

  it('schedules the first look-up 1 s after the vendor accepts an AlimTalk, on the retry topic', async () => {
    const { seen, run, take } = lane();
    const sms = alimtalk('9', {
      channel: 'sms',
      template: undefined,
      content: { body: 'hi' },
      key: 'key-sms',
    });
    await run([encodeEnvelope(alimtalk('1')), encodeEnvelope(sms)]);
    const produced = take();
    assert.equal(produced.length, 1, 'an SMS has no delivery check');
    assert.equal(produced[0]!.topic, retryTopic('realtime'));
    const check = decodeEnvelope(produced[0]!.value)!;
    assert.equal(check.notBefore, NOW + 1_000);
    assert.deepEqual(check.deliveryCheck, {
      vendor: 'nhn-alimtalk',
      vendorMessageId: `req-1:${alimtalk('1').messageId}`,
      round: 1,
      sentAt: NOW,
      deadline: NOW + 3_600_000,
    });
    assert.deepEqual(seen.finished.sort(), [0, 1]);
  });

  it('schedules nothing when the vendor has no result look-up', async () => {
    const { run, take } = lane({ checks: false });
    await run([encodeEnvelope(alimtalk('1'))]);
    assert.deepEqual(take(), []);
  });

  it('bounds the checks by 24 h when the message lives longer', async () => {
    const { run, take } = lane();
    await run([encodeEnvelope(alimtalk('1', { expiresAt: NOW + 3 * CHECK_WINDOW_MS }))]);
    assert.equal(decodeEnvelope(take()[0]!.value)!.deliveryCheck?.deadline, NOW + CHECK_WINDOW_MS);
  });

  it('reports delivered as a receipt, without a dedup reservation or a send, even past the expiry', async () => {
    const { seen, run, take, setNow } = lane({ results: [{ state: 'delivered', at: NOW, code: '1000' }] });
    await run([encodeEnvelope(alimtalk('1', { expiresAt: NOW + 2_000 }))]);
    const check = take()[0]!.value;
    seen.reserved.length = 0;
    seen.sent.length = 0;
    setNow(NOW + 5_000);
    await run([check]);
    assert.deepEqual(seen.looked, [`req-1:${alimtalk('1').messageId}`]);
    assert.deepEqual(seen.reserved, []);
    assert.deepEqual(seen.sent, []);
    assert.equal(seen.events.at(-1)!.status, 'sent', 'the receipts worker writes delivered, not the lane');
    const [receipt, ...more] = receiptsIn(take());
    assert.deepEqual(more, []);
    assert.equal(receipt!.state, 'delivered');
    assert.equal(receipt!.vendor, 'nhn-alimtalk');
    assert.equal(receipt!.vendorMessageId, `req-1:${alimtalk('1').messageId}`);
    assert.equal(receipt!.at, NOW, "Kakao's time, not the look-up's");
    assert.equal(receipt!.source, 'lookup');
  });

  it('looks again with a doubled wait while pending or failing, and gives up at the deadline', async () => {
    const failure = new HeraldError('HERALD_VENDOR_UNAVAILABLE', 'down', { retryable: true });
    const { seen, run, take, setNow, metrics } = lane({ results: [{ state: 'pending' }, failure] });
    await run([encodeEnvelope(alimtalk('1', { expiresAt: NOW + 10_000 }))]);
    setNow(NOW + 1_000);
    await run([take()[0]!.value]);
    const second = decodeEnvelope(take()[0]!.value)!;
    assert.equal(second.deliveryCheck?.round, 2);
    assert.equal(second.notBefore, NOW + 1_000 + 2_000);
    setNow(NOW + 3_000);
    await run([encodeEnvelope(second)]);
    const third = decodeEnvelope(take()[0]!.value)!;
    assert.equal(third.deliveryCheck?.round, 3);
    assert.equal(third.notBefore, NOW + 3_000 + 4_000);
    setNow(NOW + 10_000);
    await run([encodeEnvelope(third)]);
    assert.deepEqual(take(), [], 'nothing after the deadline');
    assert.equal(await metrics.count(metrics.deliveryChecks, { outcome: 'gave-up' }), 1);
    assert.deepEqual(
      seen.events.map((e) => e.status),
      ['sending', 'sent'],
      'the message stays sent',
    );
  });

  it('sends the fallback SMS once: undelivered, a linked message queued, and a repeat is a duplicate', async () => {
    const undelivered: DeliveryCheck = {
      state: 'undelivered',
      at: NOW,
      code: '3019',
      message: 'not a KakaoTalk user',
      fallback: true,
    };
    const { seen, run, take, metrics } = lane({ results: [undelivered, undelivered] });
    const parent = alimtalk('1');
    await run([encodeEnvelope(parent)]);
    const check = take()[0]!.value;
    await run([check]);
    const produced = take();
    const queued = produced.find((r) => r.topic === sendTopic('realtime', 'sms'))!;
    assert.ok(queued, 'the fallback is queued on the lane');
    const fallback = decodeEnvelope(queued.value)!;
    assert.equal(fallback.channel, 'sms');
    assert.equal(fallback.from, parent.from);
    assert.equal(fallback.to, parent.to);
    assert.equal(fallback.parentMessageId, parent.messageId);
    assert.deepEqual(fallback.content, { body: '김민수님 상품 출발' });
    assert.equal(fallback.expiresAt, parent.expiresAt);
    assert.equal(fallback.template, undefined);
    const [receipt] = receiptsIn(produced);
    assert.equal(receipt?.state, 'undelivered');
    const event = receiptEvent(receipt!, SENT_REF);
    assert.equal(event.errorCode, 'HERALD_KAKAO_UNDELIVERED');
    assert.match(event.errorMessage ?? '', /^\[3019\] not a KakaoTalk user; fallback sms /);
    assert.deepEqual(
      seen.expansions.map((e) => [e.parentMessageId, e.channel, e.children.map((c) => c.messageId)]),
      [[parent.messageId, 'sms', [fallback.messageId]]],
    );
    assert.equal(seen.expansions[0]!.children[0]!.recipientMasked.includes('12345678'), false);

    // The check runs again (a crash before its commit): the very same fallback, not a second one.
    await run([check]);
    const again = take().filter((r) => r.topic !== RECEIPTS_TOPIC);
    assert.deepEqual(
      again.map((r) => r.key),
      [queued.key],
    );
    await run([queued.value, again[0]!.value]);
    const smsSent = seen.sent.filter((m) => m.channel === 'sms');
    assert.equal(smsSent.length, 1, 'the recipient gets the fallback once');
    assert.equal(smsSent[0]!.from, parent.from);
    assert.equal(await metrics.count(metrics.alimtalkFallbacks, { outcome: 'sms' }), 2);
  });

  it('sends an LMS when the fallback text is over 90 EUC-KR bytes', async () => {
    const long = { ...TEMPLATE, fallbackBody: `#{name}님, ${'배송 안내 '.repeat(20)}` };
    const undelivered: DeliveryCheck = {
      state: 'undelivered',
      at: NOW,
      code: '3018',
      message: 'x',
      fallback: true,
    };
    const { run, take } = lane({ results: [undelivered], template: long });
    await run([encodeEnvelope(alimtalk('1'))]);
    await run([take()[0]!.value]);
    const queued = take().find((r) => r.topic !== RECEIPTS_TOPIC)!;
    assert.equal(queued?.topic, sendTopic('realtime', 'lms'));
    assert.equal(decodeEnvelope(queued.value)!.channel, 'lms');
  });

  it('ends undelivered without a fallback when the vendor offers none or the client has no number', async () => {
    const noWay: DeliveryCheck = {
      state: 'undelivered',
      at: NOW,
      code: '3008',
      message: 'bad number',
      fallback: false,
    };
    const reachable: DeliveryCheck = { ...noWay, code: '3019', fallback: true };
    const { run, take, metrics } = lane({ results: [noWay, reachable] });
    await run([encodeEnvelope(alimtalk('1')), encodeEnvelope(alimtalk('2', { from: undefined }))]);
    const checks = take().map((r) => r.value);
    await run([checks[0]!]);
    await run([checks[1]!]);
    const produced = take();
    assert.ok(
      produced.every((r) => r.topic === RECEIPTS_TOPIC),
      'no fallback queued',
    );
    const messages = receiptsIn(produced).map((r) => receiptEvent(r, SENT_REF).errorMessage);
    assert.deepEqual(messages, [
      '[3008] bad number; the vendor offers no other way',
      '[3019] bad number; no fallback: the client has no sender number registered',
    ]);
    assert.equal(await metrics.count(metrics.alimtalkFallbacks, { outcome: 'none' }), 1);
  });

  it('asks again when the batch handler fails on a check, without touching the sent message', async () => {
    const { run, take } = lane();
    await run([encodeEnvelope(alimtalk('1'))]);
    const check = take()[0]!.value;
    const produced: OutgoingRecord[] = [];
    const events: MessageEvent[] = [];
    const finished: number[] = [];
    await retryStranded(
      {
        lane: 'realtime',
        transport: { produce: async (records) => void produced.push(...records) },
        sinks: {
          history: new BatchingWriter({ flush: async (batch: MessageEvent[]) => void events.push(...batch) }),
        },
        config: () => DEFAULT_REMOTE_CONFIG,
        metrics: new HeraldMetrics(),
        now: () => NOW + 1_000,
      },
      [recordOf(check, 7)],
      new Error('bug'),
      (record) => finished.push(record.offset),
    );
    assert.deepEqual(events, [], 'no retrying event on a sent message');
    assert.deepEqual(finished, [7]);
    const again = decodeEnvelope(produced[0]!.value)!;
    assert.equal(produced[0]!.topic, retryTopic('realtime'));
    assert.equal(again.deliveryCheck?.round, 1);
    assert.equal(again.attempt, 1);
    assert.equal(again.notBefore, NOW + 2_000);
  });
});
