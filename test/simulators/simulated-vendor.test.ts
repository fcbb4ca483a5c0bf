import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  applyBehaviourPatch,
  type BehaviourPatch,
  defaultBehaviourFor,
} from '../../src/simulators/behaviour.ts';
import { ReceiveCounter } from '../../src/simulators/receive-counter.ts';
import { createSeededRandom } from '../../src/simulators/seeded-random.ts';
import { type SendOutcome, SimulatedVendor } from '../../src/simulators/simulated-vendor.ts';

const VENDOR = 'sim-sms-a';
const neverShutDown = new AbortController().signal;

function makeVendor(patch: BehaviourPatch = {}, now?: () => number) {
  const counter = new ReceiveCounter([VENDOR]);
  const behaviourOf = (change: BehaviourPatch) =>
    applyBehaviourPatch(VENDOR, defaultBehaviourFor(VENDOR), { ...patch, ...change });
  const vendor = new SimulatedVendor({
    id: VENDOR,
    behaviour: behaviourOf({}),
    random: createSeededRandom(9),
    counter,
    now,
  });
  return { vendor, counter, behaviourOf };
}

function send(messageId: string, idempotencyKey?: string) {
  return { messageId, idempotencyKey };
}

function acceptedId(outcome: SendOutcome): string {
  assert.equal(outcome.kind, 'accepted');
  return outcome.vendorMessageId;
}

describe('SimulatedVendor', () => {
  it('delivers an accepted message once and counts it', async () => {
    const { vendor, counter } = makeVendor();
    const outcome = await vendor.handle(send('m1', 'k1'), neverShutDown);
    assert.ok(acceptedId(outcome).length > 0);
    assert.equal(counter.countFor(VENDOR, 'm1'), 1);
  });

  it('replays the first answer for a repeated Idempotency-Key without delivering again', async () => {
    const { vendor, counter } = makeVendor();
    const first = acceptedId(await vendor.handle(send('m1', 'k1'), neverShutDown));
    const second = acceptedId(await vendor.handle(send('m1', 'k1'), neverShutDown));
    assert.equal(second, first);
    assert.deepEqual(counter.stats().vendors[VENDOR], {
      received: 1,
      distinct: 1,
      duplicates: 0,
      idempotentReplays: 1,
      calls: 2,
    });
  });

  it('replays a key whose first call is still waiting out its latency', async () => {
    const { vendor, counter } = makeVendor({ latency: { medianMs: 5, p99Ms: 5 } });
    const [first, second] = await Promise.all([
      vendor.handle(send('m1', 'k1'), neverShutDown),
      vendor.handle(send('m1', 'k1'), neverShutDown),
    ]);
    assert.equal(acceptedId(second!), acceptedId(first!));
    assert.deepEqual(counter.stats().vendors[VENDOR], {
      received: 1,
      distinct: 1,
      duplicates: 0,
      idempotentReplays: 1,
      calls: 2,
    });
  });

  it('delivers twice when it does not honour idempotency keys', async () => {
    const { vendor, counter } = makeVendor({ honoursIdempotencyKey: false });
    await vendor.handle(send('m1', 'k1'), neverShutDown);
    await vendor.handle(send('m1', 'k1'), neverShutDown);
    assert.deepEqual(counter.stats().vendors[VENDOR], {
      received: 2,
      distinct: 1,
      duplicates: 1,
      idempotentReplays: 0,
      calls: 2,
    });
  });

  it('delivers twice when the calls carry no key', async () => {
    const { vendor, counter } = makeVendor();
    await vendor.handle(send('m1'), neverShutDown);
    await vendor.handle(send('m1'), neverShutDown);
    assert.equal(counter.countFor(VENDOR, 'm1'), 2);
  });

  it('processes a retry afresh after a 5xx, since the vendor did not take the message', async () => {
    const { vendor, counter, behaviourOf } = makeVendor();
    vendor.setBehaviour(
      behaviourOf({ errorShare: 1, errors: [{ status: 503, code: 'SERVICE_UNAVAILABLE', weight: 1 }] }),
    );
    const failed = await vendor.handle(send('m1', 'k1'), neverShutDown);
    assert.deepEqual(failed, {
      kind: 'failed',
      error: { status: 503, code: 'SERVICE_UNAVAILABLE', weight: 1 },
    });
    vendor.setBehaviour(behaviourOf({ errorShare: 0 }));
    acceptedId(await vendor.handle(send('m1', 'k1'), neverShutDown));
    assert.deepEqual(counter.stats().vendors[VENDOR], {
      received: 1,
      distinct: 1,
      duplicates: 0,
      idempotentReplays: 0,
      calls: 2,
    });
  });

  it('replays a permanent 4xx for the same key', async () => {
    const { vendor, counter, behaviourOf } = makeVendor();
    vendor.setBehaviour(
      behaviourOf({ errorShare: 1, errors: [{ status: 400, code: 'INVALID_RECIPIENT', weight: 1 }] }),
    );
    await vendor.handle(send('m1', 'k1'), neverShutDown);
    vendor.setBehaviour(behaviourOf({ errorShare: 0 }));
    const replayed = await vendor.handle(send('m1', 'k1'), neverShutDown);
    assert.equal(replayed.kind, 'failed');
    assert.deepEqual(counter.stats().vendors[VENDOR], {
      received: 0,
      distinct: 0,
      duplicates: 0,
      idempotentReplays: 1,
      calls: 2,
    });
  });

  it('hangs without counting anything', async () => {
    const { vendor, counter } = makeVendor({ hangShare: 1 });
    assert.deepEqual(await vendor.handle(send('m1', 'k1'), neverShutDown), { kind: 'hang' });
    assert.deepEqual(counter.stats().vendors[VENDOR], {
      received: 0,
      distinct: 0,
      duplicates: 0,
      idempotentReplays: 0,
      calls: 1,
    });
  });

  it('fails about errorShare of the calls', async () => {
    const { vendor, counter } = makeVendor({ errorShare: 0.3 });
    let failures = 0;
    for (let index = 0; index < 2_000; index += 1) {
      if ((await vendor.handle(send(`m${index}`), neverShutDown)).kind === 'failed') failures += 1;
    }
    assert.ok(Math.abs(failures / 2_000 - 0.3) < 0.04, `failure share was ${failures / 2_000}`);
    assert.equal(counter.stats().vendors[VENDOR]!.received, 2_000 - failures);
  });

  it('rate-limits beyond its tokens and says when to come back', async () => {
    let now = 0;
    const { vendor, counter } = makeVendor({ rateLimitPerSecond: 2 }, () => now);
    await vendor.handle(send('m1'), neverShutDown);
    await vendor.handle(send('m2'), neverShutDown);
    assert.deepEqual(await vendor.handle(send('m3'), neverShutDown), {
      kind: 'rate-limited',
      retryAfterMs: 500,
    });
    now += 500;
    acceptedId(await vendor.handle(send('m3'), neverShutDown));
    assert.equal(counter.stats().vendors[VENDOR]!.received, 3);
  });

  it('drops a call waiting out its latency on shutdown, without counting it', async () => {
    const { vendor, counter } = makeVendor({ latency: { medianMs: 60_000, p99Ms: 60_000 } });
    const shutdown = new AbortController();
    const pending = vendor.handle(send('m1', 'k1'), shutdown.signal);
    shutdown.abort();
    await assert.rejects(pending, { name: 'AbortError' });
    assert.equal(counter.countFor(VENDOR, 'm1'), 0);
  });

  it('forgets idempotency keys on reset', async () => {
    const { vendor, counter, behaviourOf } = makeVendor();
    await vendor.handle(send('m1', 'k1'), neverShutDown);
    vendor.reset(behaviourOf({}));
    await vendor.handle(send('m1', 'k1'), neverShutDown);
    assert.equal(counter.countFor(VENDOR, 'm1'), 2);
  });
});
