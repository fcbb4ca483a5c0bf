import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LocalVendorRate } from '../../../src/adapters/vendor-rate/local-vendor-rate.ts';
import { HeraldError } from '../../../src/core/domain/errors.ts';
import type { DeliveryCheckState, Envelope } from '../../../src/core/domain/message.ts';
import { BatchingWriter } from '../../../src/core/pipeline/batching-writer.ts';
import { ConcurrencyLimit } from '../../../src/core/pipeline/concurrency-limit.ts';
import { firstCheck } from '../../../src/core/pipeline/delivery-checks.ts';
import { decodeEnvelope, encodeEnvelope } from '../../../src/core/pipeline/envelope-codec.ts';
import {
  lookUpReceipts,
  RECEIPT_ERROR_GRACE_MS,
  RECEIPT_FIRST_DELAY_MS,
  type ReceiptLookupContext,
} from '../../../src/core/pipeline/receipt-lookups.ts';
import { RECEIPTS_TOPIC, retryTopic, sendTopic } from '../../../src/core/pipeline/topics.ts';
import { decodeReceiptRecord } from '../../../src/core/receipts/receipt-codec.ts';
import { silentLogger } from '../../../src/observability/logger.ts';
import { HeraldMetrics } from '../../../src/observability/metrics.ts';
import type { OutgoingRecord, TransportRecord } from '../../../src/ports/transport.ts';
import type { DeliveryCheck, ReceiptLookup, Vendor } from '../../../src/ports/vendor.ts';

const NOW = Date.UTC(2026, 11, 1, 3, 0, 0);
const SMS_TIMEOUT_MS = 25 * 3_600_000;

function sms(i: number, check?: Partial<DeliveryCheckState>): Envelope {
  return {
    messageId: `m-${i}`,
    requestId: 'r',
    clientId: 'shop',
    key: `key-${i}`,
    channel: 'sms',
    lane: 'realtime',
    to: '01012345678',
    content: { body: 'hi' },
    attempt: 1,
    expiresAt: NOW + 60_000,
    createdAt: NOW - 1_000,
    ...(check && {
      deliveryCheck: {
        vendor: 'fake-sms',
        vendorMessageId: `v-${i}`,
        round: 1,
        sentAt: NOW - 10_000,
        deadline: NOW + SMS_TIMEOUT_MS,
        ...check,
      },
    }),
  };
}

/**
 * A text vendor implementing the ReceiptLookup port in the test (the port, not a wire: the adapters'
 * look-ups are tested against the simulators in their own files): answers `answer(id)` for each id,
 * records every call with the ids it carried.
 */
function fakeVendor(
  limits: { maxIdsPerCall: number; callsPerSecond: number },
  answer: (id: string) => DeliveryCheck | undefined | HeraldError,
) {
  const calls: string[][] = [];
  const receipts: ReceiptLookup = {
    ...limits,
    deliveryTimeoutMs: (channel) => (channel === 'sms' ? SMS_TIMEOUT_MS : 80 * 3_600_000),
    // One HTTP request a look-up, made through the lane's call (paced, timed out) as adapters do.
    lookUp: (queries, call) =>
      call(async () => {
        calls.push(queries.map(({ vendorMessageId }) => vendorMessageId));
        const found = new Map<string, DeliveryCheck>();
        for (const { vendorMessageId: id } of queries) {
          const result = answer(id);
          if (result instanceof HeraldError) throw result;
          if (result) found.set(id, result);
        }
        return found;
      }),
  };
  const vendor: Vendor = {
    id: 'fake-sms',
    channels: ['sms', 'lms', 'mms'],
    send: async (message) => ({ vendorMessageId: `v-${message.messageId}` }),
    receipts,
    close: async () => {},
  };
  return { vendor, calls };
}

function lane(vendor: Vendor, pacer = new LocalVendorRate(), timeoutMs = 5_000) {
  const produced: OutgoingRecord[] = [];
  const finished: number[] = [];
  let now = NOW;
  const context: ReceiptLookupContext = {
    lane: 'realtime',
    router: {
      vendor: (id) => (id === vendor.id ? { vendor, settings: { timeoutMs } as never } : undefined),
    },
    sendPool: new ConcurrencyLimit(8),
    receiptPacer: pacer,
    sinks: { produce: new BatchingWriter({ flush: async (records) => void produced.push(...records) }) },
    metrics: new HeraldMetrics(),
    logger: silentLogger(),
    now: () => now,
  };
  const run = (envelopes: readonly Envelope[]) =>
    lookUpReceipts(
      context,
      envelopes.map((envelope, offset) => ({ envelope, record: record(envelope, offset) })),
      (done) => finished.push(done.offset),
      new AbortController().signal,
    );
  return { produced, finished, run, setNow: (at: number) => (now = at) };
}

function record(envelope: Envelope, offset: number): TransportRecord {
  const value = encodeEnvelope(envelope);
  return {
    topic: sendTopic('realtime', 'sms'),
    partition: 0,
    offset,
    key: envelope.key,
    value,
    timestamp: NOW,
  };
}

const delivered = (carrier: 'SKT' | 'KT'): DeliveryCheck => ({
  state: 'delivered',
  at: NOW - 2_000,
  code: '1000',
  carrier,
});

describe('receipt look-ups (receipt-lookups.ts)', () => {
  it('queues the first look-up of a sent SMS on the retry topic, until the vendor delivery timeout', () => {
    const { vendor } = fakeVendor({ maxIdsPerCall: 100, callsPerSecond: 10 }, () => undefined);
    const router = { vendor: () => ({ vendor, settings: {} as never }) };
    const check = firstCheck(router, sms(1), { vendor: 'fake-sms', vendorMessageId: 'v-1' }, NOW);
    assert.equal(check?.topic, retryTopic('realtime'));
    const envelope = decodeEnvelope(check!.value)!;
    assert.deepEqual(envelope.deliveryCheck, {
      vendor: 'fake-sms',
      vendorMessageId: 'v-1',
      round: 1,
      sentAt: NOW,
      deadline: NOW + SMS_TIMEOUT_MS,
    });
    assert.equal(envelope.notBefore, NOW + RECEIPT_FIRST_DELAY_MS);
    // A push, or a vendor without look-up: no check.
    assert.equal(
      firstCheck(router, { ...sms(2), channel: 'push' }, { vendor: 'fake-sms', vendorMessageId: 'v' }, NOW),
      undefined,
    );
  });

  it('asks once per maxIdsPerCall ids, produces final answers as receipts and looks the rest up again', async () => {
    const { vendor, calls } = fakeVendor({ maxIdsPerCall: 3, callsPerSecond: 100 }, (id) =>
      id === 'v-1'
        ? delivered('KT')
        : id === 'v-2'
          ? {
              state: 'undelivered',
              at: NOW - 1_000,
              code: '3016',
              message: 'no such number',
              fallback: false,
            }
          : { state: 'pending' },
    );
    const { produced, finished, run } = lane(vendor);
    await run(Array.from({ length: 7 }, (_, i) => sms(i, { vendorMessageId: `v-${i}` })));

    assert.deepEqual(calls.map((ids) => ids.length).sort(), [1, 3, 3]);
    assert.deepEqual(finished.sort(), [0, 1, 2, 3, 4, 5, 6]);
    const receipts = produced
      .filter((r) => r.topic === RECEIPTS_TOPIC)
      .map((r) => decodeReceiptRecord(r.value)!);
    assert.deepEqual(
      receipts.map(({ receipt, sentAt }) => [
        receipt.vendorMessageId,
        receipt.state,
        receipt.carrier,
        receipt.source,
        sentAt,
      ]),
      [
        ['v-1', 'delivered', 'KT', 'lookup', NOW - 10_000],
        ['v-2', 'undelivered', 'unknown', 'lookup', NOW - 10_000],
      ],
    );
    assert.equal(receipts[1]!.receipt.code, '3016');
    const again = produced
      .filter((r) => r.topic === retryTopic('realtime'))
      .map((r) => decodeEnvelope(r.value)!);
    assert.equal(again.length, 5);
    for (const envelope of again) {
      assert.equal(envelope.deliveryCheck?.round, 2);
      assert.equal(envelope.notBefore, NOW + 2 * RECEIPT_FIRST_DELAY_MS);
    }
  });

  it('ends a message still pending at the vendor delivery timeout with a timeout receipt', async () => {
    const { vendor } = fakeVendor({ maxIdsPerCall: 10, callsPerSecond: 10 }, () => ({ state: 'pending' }));
    const { produced, run, setNow } = lane(vendor);
    setNow(NOW + 1);
    await run([sms(1, { deadline: NOW })]);
    assert.equal(produced.length, 1);
    assert.equal(produced[0]!.topic, RECEIPTS_TOPIC);
    const { receipt } = decodeReceiptRecord(produced[0]!.value)!;
    assert.equal(receipt.source, 'timeout');
    assert.equal(receipt.state, 'undelivered');
    assert.equal(receipt.vendorMessageId, 'v-1');
  });

  it('asks again after a failed look-up (429: not before its Retry-After), never losing the message', async () => {
    const limited = new HeraldError('HERALD_VENDOR_RATE_LIMITED', 'slow down', {
      retryable: true,
      retryAfterMs: 30_000,
    });
    const { vendor, calls } = fakeVendor({ maxIdsPerCall: 10, callsPerSecond: 10 }, () => limited);
    const { produced, finished, run, setNow } = lane(vendor);
    await run([sms(1), sms(2)].map((e, i) => ({ ...e, deliveryCheck: sms(i + 1, {}).deliveryCheck! })));
    assert.equal(calls.length, 1);
    assert.deepEqual(finished.sort(), [0, 1]);
    const again = produced.map((r) => decodeEnvelope(r.value)!);
    assert.equal(again.length, 2);
    for (const envelope of again) assert.ok(envelope.notBefore! >= NOW + 30_000);

    // Past the deadline the vendor is still given its grace hour, then the timeout is recorded.
    produced.length = 0;
    setNow(NOW + SMS_TIMEOUT_MS + 1);
    await run([sms(3, {})]);
    assert.equal(produced[0]?.topic, retryTopic('realtime'));
    produced.length = 0;
    setNow(NOW + SMS_TIMEOUT_MS + RECEIPT_ERROR_GRACE_MS);
    await run([sms(4, {})]);
    assert.equal(decodeReceiptRecord(produced[0]!.value)?.receipt.source, 'timeout');
  });

  it('paces look-ups to the vendor callsPerSecond (counted on a stepped clock, not timed)', async () => {
    // The clock moves only when a waiter's wait ends, as real time would: concurrent waits overlap.
    let clock = 0;
    let waits = 0;
    const pacer = new LocalVendorRate({
      now: () => clock,
      wait: async (ms) => {
        waits++;
        const until = clock + ms;
        await Promise.resolve();
        clock = Math.max(clock, until);
      },
    });
    let calls = 0;
    const { vendor } = fakeVendor({ maxIdsPerCall: 1, callsPerSecond: 2 }, () => {
      calls++;
      return { state: 'pending' };
    });
    const { run } = lane(vendor, pacer);
    await run(Array.from({ length: 10 }, (_, i) => sms(i, { vendorMessageId: `v-${i}` })));
    assert.equal(calls, 10);
    // A burst of one second's worth (2) at once; the other 8 each waited for a token, at 2 a second.
    assert.ok(waits >= 8, `${waits} waits`);
    assert.ok(clock >= 4_000, `10 calls at 2/s took ${clock} ms of the stepped clock`);
  });

  it('chunks each vendor by send time, so a chunk holds messages sent close together', async () => {
    const { vendor, calls } = fakeVendor({ maxIdsPerCall: 3, callsPerSecond: 100 }, () => ({
      state: 'pending',
    }));
    const { run } = lane(vendor);
    const sentAts = [5, 1, 4, 0, 3, 2];
    await run(
      sentAts.map((at, i) => sms(i, { vendorMessageId: `v-at-${at}`, sentAt: NOW - 60_000 + at * 1_000 })),
    );
    assert.deepEqual(calls.map((ids) => [...ids].sort()).sort(), [
      ['v-at-0', 'v-at-1', 'v-at-2'],
      ['v-at-3', 'v-at-4', 'v-at-5'],
    ]);
  });

  it('paces and times out each HTTP request of a look-up, not the look-up as a whole', async () => {
    const { pacer, waits } = fakeClockPacer();
    const requests: AbortSignal[] = [];
    const vendor: Vendor = {
      id: 'fake-sms',
      channels: ['sms'],
      send: async () => ({ vendorMessageId: 'x' }),
      receipts: {
        maxIdsPerCall: 10,
        callsPerSecond: 2,
        deliveryTimeoutMs: () => SMS_TIMEOUT_MS,
        // Five requests of 40 ms each: 200 ms in all, past the 100 ms limit of any one of them.
        lookUp: async (queries, call) => {
          for (let i = 0; i < 5; i++) {
            await call(async (signal) => {
              requests.push(signal);
              await new Promise((resolve) => setTimeout(resolve, 40));
              signal.throwIfAborted();
            });
          }
          return new Map(queries.map(({ vendorMessageId }) => [vendorMessageId, delivered('SKT')]));
        },
      },
      close: async () => {},
    };
    const { produced, run } = lane(vendor, pacer, 100);
    await run([sms(1, { vendorMessageId: 'v-1' })]);
    assert.equal(requests.length, 5);
    assert.equal(new Set(requests).size, 5, 'a signal of its own for each request');
    assert.ok(waits() >= 3, `${waits()} waits: a token for each request, 2 a second`);
    assert.equal(produced.filter((r) => r.topic === RECEIPTS_TOPIC).length, 1, 'answered, not timed out');
  });

  it('shares one bucket per vendor: sequential acquires beyond the burst each wait their turn', async () => {
    const { pacer, waits, clock } = fakeClockPacer();
    const signal = new AbortController().signal;
    for (let i = 0; i < 5; i++) await pacer.acquire('a', 1, 2, signal);
    assert.equal(waits(), 3);
    assert.equal(clock(), 1_500);
    await pacer.acquire('b', 1, 2, signal); // another vendor's bucket is full
    assert.equal(waits(), 3);
  });
});

/** A pacer on a clock that waiting moves forward: counts its waits, never sleeps. */
function fakeClockPacer() {
  let clock = 0;
  let waits = 0;
  const pacer = new LocalVendorRate({
    now: () => clock,
    wait: async (ms) => {
      waits++;
      clock += ms;
    },
  });
  return { pacer, waits: () => waits, clock: () => clock };
}
