import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { BehaviourError } from '../../src/simulators/behaviour.ts';
import { createSeededRandom } from '../../src/simulators/seeded-random.ts';
import { UnknownVendorError } from '../../src/simulators/simulator-fleet.ts';
import { type SimulatorServer, startSimulatorServer } from '../../src/simulators/simulator-server.ts';

const SMS = 'sim-sms-a';
const PUSH = 'fcm';

let sim: SimulatorServer;

function message(messageId: string) {
  return { messageId, channel: 'sms', to: '01012345678', body: 'hello' };
}

async function postMessage(vendorId: string, body: unknown, idempotencyKey?: string, signal?: AbortSignal) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
  const response = await fetch(`${sim.url}/vendors/${vendorId}/messages`, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
    signal,
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

async function getJson(path: string) {
  const response = await fetch(`${sim.url}${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function putBehaviour(vendorId: string, patch: unknown) {
  const response = await fetch(`${sim.url}/_sim/vendors/${vendorId}/behaviour`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(patch),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('simulator server', () => {
  before(async () => {
    sim = await startSimulatorServer({ vendors: { [SMS]: {}, [PUSH]: {} }, random: createSeededRandom(1) });
  });
  afterEach(() => sim.reset());
  after(() => sim.close());

  it('accepts a message and counts it once', async () => {
    const answer = await postMessage(SMS, message('m1'), 'k1');
    assert.equal(answer.status, 200);
    assert.equal(answer.body.status, 'accepted');
    assert.equal(typeof answer.body.vendorMessageId, 'string');
    assert.equal(sim.countFor(SMS, 'm1'), 1);
    assert.deepEqual(await getJson(`/_sim/messages/${SMS}/m1`), { status: 200, body: { count: 1 } });
  });

  it('answers a repeated Idempotency-Key with the first result and does not deliver again', async () => {
    const first = await postMessage(SMS, message('m1'), 'k1');
    const second = await postMessage(SMS, message('m1'), 'k1');
    assert.deepEqual(second.body, first.body);
    assert.deepEqual(sim.stats().vendors[SMS], {
      received: 1,
      distinct: 1,
      duplicates: 0,
      idempotentReplays: 1,
      calls: 2,
    });
  });

  it('delivers a repeated key again when the vendor does not honour keys', async () => {
    sim.setBehaviour(SMS, { honoursIdempotencyKey: false });
    await postMessage(SMS, message('m1'), 'k1');
    await postMessage(SMS, message('m1'), 'k1');
    assert.deepEqual(sim.stats().vendors[SMS], {
      received: 2,
      distinct: 1,
      duplicates: 1,
      idempotentReplays: 0,
      calls: 2,
    });
  });

  it('reports stats in the documented shape, for every hosted vendor', async () => {
    await postMessage(PUSH, message('p1'));
    assert.deepEqual(await getJson('/_sim/stats'), {
      status: 200,
      body: {
        vendors: {
          [SMS]: { received: 0, distinct: 0, duplicates: 0, idempotentReplays: 0, calls: 0 },
          [PUSH]: { received: 1, distinct: 1, duplicates: 0, idempotentReplays: 0, calls: 1 },
        },
        receipts: {},
        listedRows: {},
      },
    });
  });

  it("answers with the vendor's errors when told to fail", async () => {
    sim.setBehaviour(SMS, { errorShare: 1, errors: [{ status: 400, code: 'INVALID_RECIPIENT', weight: 1 }] });
    const answer = await postMessage(SMS, message('m1'), 'k1');
    assert.equal(answer.status, 400);
    assert.equal(answer.body.code, 'INVALID_RECIPIENT');
    assert.equal(sim.countFor(SMS, 'm1'), 0);
  });

  it('answers 429 with Retry-After in seconds beyond the rate limit', async () => {
    sim.setBehaviour(SMS, { rateLimitPerSecond: 1 });
    assert.equal((await postMessage(SMS, message('m1'))).status, 200);
    const limited = await postMessage(SMS, message('m2'));
    assert.equal(limited.status, 429);
    assert.equal(limited.body.code, 'RATE_LIMITED');
    assert.match(limited.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
    assert.equal(sim.countFor(SMS, 'm2'), 0);
  });

  it('answers 400 BAD_REQUEST for a body without the required fields', async () => {
    const answer = await postMessage(SMS, { channel: 'sms' });
    assert.equal(answer.status, 400);
    assert.equal(answer.body.code, 'BAD_REQUEST');
  });

  it('answers 404 UNKNOWN_VENDOR for a vendor it does not host', async () => {
    assert.equal((await postMessage('sim-nope', message('m1'))).body.code, 'UNKNOWN_VENDOR');
    assert.equal((await getJson('/_sim/messages/sim-nope/m1')).status, 404);
    assert.equal((await putBehaviour('sim-nope', { errorShare: 1 })).body.code, 'UNKNOWN_VENDOR');
  });

  it('answers 404 for an unknown route and 405 for a wrong method', async () => {
    assert.deepEqual((await getJson('/nowhere')).status, 404);
    const response = await fetch(`${sim.url}/_sim/stats`, { method: 'POST' });
    await response.body?.cancel();
    assert.equal(response.status, 405);
    assert.equal(response.headers.get('allow'), 'GET');
  });

  it('applies a behaviour change sent over HTTP to the next call', async () => {
    const changed = await putBehaviour(SMS, {
      errorShare: 1,
      errors: [{ status: 503, code: 'SERVER_ERROR', weight: 1 }],
    });
    assert.equal(changed.status, 200);
    assert.equal((changed.body.behaviour as { errorShare: number }).errorShare, 1);
    const answer = await postMessage(SMS, message('m1'));
    assert.equal(answer.status, 503);
    assert.equal(answer.body.code, 'SERVER_ERROR');
    assert.equal(
      ((await getJson(`/_sim/vendors/${SMS}/behaviour`)).body.behaviour as { errorShare: number }).errorShare,
      1,
    );
  });

  it('refuses an invalid behaviour over HTTP with every violation, and keeps the old one', async () => {
    const refused = await putBehaviour(SMS, { errorShare: 7, hangShare: -1 });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.code, 'INVALID_BEHAVIOUR');
    assert.equal((refused.body.violations as string[]).length, 2);
    assert.equal(sim.behaviourOf(SMS).errorShare, 0);
  });

  it('throws typed errors for invalid in-process behaviour changes', () => {
    assert.throws(() => sim.setBehaviour(SMS, { errorShare: 2 }), BehaviourError);
    assert.throws(() => sim.setBehaviour('sim-nope', {}), UnknownVendorError);
  });

  it('resets counts, keys and behaviours over HTTP', async () => {
    sim.setBehaviour(SMS, { honoursIdempotencyKey: false });
    await postMessage(SMS, message('m1'), 'k1');
    const response = await fetch(`${sim.url}/_sim/reset`, { method: 'POST' });
    assert.equal(response.status, 204);
    assert.equal(sim.countFor(SMS, 'm1'), 0);
    assert.equal(sim.behaviourOf(SMS).honoursIdempotencyKey, true);
  });

  it('tells onReceive listeners of every delivery', async () => {
    const seen: string[] = [];
    const unsubscribe = sim.onReceive((event) => seen.push(`${event.vendorId}/${event.messageId}`));
    await postMessage(SMS, message('m1'));
    await postMessage(PUSH, message('p1'));
    unsubscribe();
    assert.deepEqual(seen, [`${SMS}/m1`, `${PUSH}/p1`]);
  });

  it('leaves a hung request open until the client gives up', async () => {
    sim.setBehaviour(SMS, { hangShare: 1 });
    await assert.rejects(postMessage(SMS, message('m1'), 'k1', AbortSignal.timeout(100)), {
      name: 'TimeoutError',
    });
    assert.equal(sim.countFor(SMS, 'm1'), 0);
    // The client closed the hung call's connection: the vendor side sees the hang-up.
    while (sim.hangUps(SMS) === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(sim.hangUps(SMS), 1);
  });
});

describe('simulator server close', () => {
  it('closes promptly with a hung request and a slow request outstanding', async () => {
    const own = await startSimulatorServer({ vendors: { [SMS]: { hangShare: 1 }, [PUSH]: {} } });
    own.setBehaviour(PUSH, { latency: { medianMs: 60_000, p99Ms: 60_000 } });
    const post = (vendorId: string) =>
      fetch(`${own.url}/vendors/${vendorId}/messages`, {
        method: 'POST',
        body: JSON.stringify(message('m1')),
      });
    const hungRejects = assert.rejects(post(SMS));
    const slowRejects = assert.rejects(post(PUSH));
    // One more round trip, so both requests (written first) have reached the server on loopback.
    assert.equal((await fetch(`${own.url}/_sim/stats`)).status, 200);
    await own.close();
    await hungRejects;
    await slowRejects;
    assert.equal(own.countFor(PUSH, 'm1'), 0, 'a call dropped on close is not counted as delivered');
    assert.equal(own.hangUps(SMS), 0, 'a hung call the simulator dropped itself is no hang-up');
    await assert.rejects(fetch(`${own.url}/_sim/stats`), 'the port no longer accepts connections');
  });

  it('can be closed twice', async () => {
    const own = await startSimulatorServer({ vendors: { [SMS]: {} } });
    await own.close();
    await own.close();
  });
});
