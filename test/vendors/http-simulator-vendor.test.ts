import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, afterEach, before, describe, it } from 'node:test';
import { Agent } from 'undici';
import { HeraldError } from '../../src/core/domain/errors.ts';
import type { OutboundMessage } from '../../src/core/domain/message.ts';
import type { Vendor } from '../../src/ports/vendor.ts';
import { createSeededRandom } from '../../src/simulators/seeded-random.ts';
import { type SimulatorServer, startSimulatorServer } from '../../src/simulators/simulator-server.ts';
import { createSimulatorVendor } from '../../src/vendors/http-simulator-vendor.ts';

const SMS = 'sim-sms-a';
const KAKAO = 'sim-kakao-a';

function outbound(messageId: string, overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    messageId,
    idempotencyKey: `key-${messageId}`,
    channel: 'sms',
    to: '01012345678',
    body: 'hello',
    attempt: 1,
    ...overrides,
  };
}

function noLimit(): AbortSignal {
  return new AbortController().signal;
}

async function sendError(vendor: Vendor, message: OutboundMessage, signal = noLimit()): Promise<HeraldError> {
  try {
    await vendor.send(message, signal);
  } catch (error) {
    assert.ok(error instanceof HeraldError, `expected a HeraldError, got ${String(error)}`);
    return error;
  }
  assert.fail('the send succeeded');
}

describe('simulator vendor over HTTP', () => {
  let sim: SimulatorServer;
  let sms: Vendor;
  let kakao: Vendor;

  before(async () => {
    sim = await startSimulatorServer({ vendors: { [SMS]: {}, [KAKAO]: {} }, random: createSeededRandom(3) });
    sms = createSimulatorVendor({ id: SMS, channels: ['sms', 'lms', 'mms'], baseUrl: sim.url });
    kakao = createSimulatorVendor({ id: KAKAO, channels: ['alimtalk'], baseUrl: `${sim.url}/` });
  });
  afterEach(() => sim.reset());
  after(async () => {
    await sms.close();
    await kakao.close();
    await sim.close();
  });

  it('sends a message and gets a receipt; the simulator received it once', async () => {
    const receipt = await sms.send(outbound('m1', { subject: 'hi', channel: 'lms' }), noLimit());
    assert.equal(typeof receipt.vendorMessageId, 'string');
    assert.ok(receipt.vendorMessageId.length > 0);
    assert.deepEqual(sim.stats().vendors[SMS], {
      received: 1,
      distinct: 1,
      duplicates: 0,
      idempotentReplays: 0,
      calls: 1,
    });
  });

  it("sends the message's idempotency key, so a resend is a replay and not a second delivery", async () => {
    const first = await sms.send(outbound('m1'), noLimit());
    const again = await sms.send(outbound('m1', { attempt: 2 }), noLimit());
    assert.deepEqual(again, first);
    assert.deepEqual(sim.stats().vendors[SMS], {
      received: 1,
      distinct: 1,
      duplicates: 0,
      idempotentReplays: 1,
      calls: 2,
    });
  });

  it('shows the duplicate when the vendor ignores idempotency keys', async () => {
    sim.setBehaviour(SMS, { honoursIdempotencyKey: false });
    await sms.send(outbound('m1'), noLimit());
    await sms.send(outbound('m1'), noLimit());
    assert.deepEqual(sim.stats().vendors[SMS], {
      received: 2,
      distinct: 1,
      duplicates: 1,
      idempotentReplays: 0,
      calls: 2,
    });
  });

  it('sends a template message through AlimTalk', async () => {
    const message = outbound('a1', {
      channel: 'alimtalk',
      template: { code: 'WELCOME', vars: { name: 'Kim' } },
    });
    await kakao.send(message, noLimit());
    assert.equal(sim.countFor(KAKAO, 'a1'), 1);
  });

  it('maps every error the vendor answers with to the right code and retryability', async () => {
    const cases = [
      {
        status: 503,
        code: 'SERVER_ERROR',
        expected: 'HERALD_VENDOR_UNAVAILABLE',
        retryable: true,
        vendorFault: true,
      },
      {
        status: 400,
        code: 'INVALID_RECIPIENT',
        expected: 'HERALD_RECIPIENT_INVALID',
        retryable: false,
        vendorFault: false,
      },
      {
        status: 404,
        code: 'UNREGISTERED',
        expected: 'HERALD_RECIPIENT_INVALID',
        retryable: false,
        vendorFault: false,
      },
      {
        status: 400,
        code: 'TEMPLATE_MISMATCH',
        expected: 'HERALD_VENDOR_REJECTED',
        retryable: false,
        vendorFault: false,
      },
    ];
    for (const [index, { status, code, expected, retryable, vendorFault }] of cases.entries()) {
      sim.setBehaviour(KAKAO, { errorShare: 1, errors: [{ status, code, weight: 1 }] });
      const error = await sendError(kakao, outbound(`e${index}`, { channel: 'alimtalk' }));
      assert.deepEqual(
        {
          code: error.code,
          retryable: error.retryable,
          vendorFault: error.vendorFault,
          vendorCode: error.vendorCode,
        },
        { code: expected, retryable, vendorFault, vendorCode: code },
      );
    }
    assert.equal(sim.stats().vendors[KAKAO]!.received, 0);
  });

  it('fails every call with a catalogue error when errorShare is 1', async () => {
    sim.setBehaviour(SMS, { errorShare: 1 });
    for (let index = 0; index < 20; index += 1) {
      const error = await sendError(sms, outbound(`e${index}`));
      assert.ok(
        ['HERALD_VENDOR_UNAVAILABLE', 'HERALD_RECIPIENT_INVALID', 'HERALD_VENDOR_REJECTED'].includes(
          error.code,
        ),
        error.code,
      );
      assert.equal(error.retryable, error.code === 'HERALD_VENDOR_UNAVAILABLE');
    }
  });

  it('maps a rate limit to a retryable error with retryAfterMs', async () => {
    sim.setBehaviour(SMS, { rateLimitPerSecond: 1 });
    await sms.send(outbound('m1'), noLimit());
    const error = await sendError(sms, outbound('m2'));
    assert.equal(error.code, 'HERALD_VENDOR_RATE_LIMITED');
    assert.equal(error.retryable, true);
    assert.equal(error.vendorFault, false);
    assert.equal(error.retryAfterMs, 1_000);
  });

  it('gives up on a hung vendor when the time limit fires, as a retryable timeout', async () => {
    sim.setBehaviour(SMS, { hangShare: 1 });
    const error = await sendError(sms, outbound('m1'), AbortSignal.timeout(100));
    assert.equal(error.code, 'HERALD_VENDOR_TIMEOUT');
    assert.equal(error.retryable, true);
    assert.equal(error.vendorFault, true);
    assert.equal(sim.countFor(SMS, 'm1'), 0);
  });

  it('reports a call aborted for shutdown as retryable and not the vendor fault', async () => {
    sim.setBehaviour(SMS, { hangShare: 1 });
    const shutdown = new AbortController();
    const pending = sendError(sms, outbound('m1'), shutdown.signal);
    shutdown.abort(new Error('worker shutting down'));
    const error = await pending;
    assert.equal(error.code, 'HERALD_VENDOR_UNAVAILABLE');
    assert.equal(error.retryable, true);
    assert.equal(error.vendorFault, false);
  });

  it('follows a behaviour changed live', async () => {
    await sms.send(outbound('m1'), noLimit());
    sim.setBehaviour(SMS, { errorShare: 1, errors: [{ status: 500, code: 'SERVER_ERROR', weight: 1 }] });
    assert.equal((await sendError(sms, outbound('m2'))).code, 'HERALD_VENDOR_UNAVAILABLE');
    sim.setBehaviour(SMS, { errorShare: 0 });
    await sms.send(outbound('m3'), noLimit());
    assert.deepEqual(sim.stats().vendors[SMS], {
      received: 2,
      distinct: 2,
      duplicates: 0,
      idempotentReplays: 0,
      calls: 3,
    });
  });

  it('carries many concurrent sends over its pool', async () => {
    const receipts = await Promise.all(
      Array.from({ length: 300 }, (_unused, index) => sms.send(outbound(`c${index}`), noLimit())),
    );
    assert.equal(new Set(receipts.map((receipt) => receipt.vendorMessageId)).size, 300);
    assert.deepEqual(sim.stats().vendors[SMS], {
      received: 300,
      distinct: 300,
      duplicates: 0,
      idempotentReplays: 0,
      calls: 300,
    });
  });
});

describe('simulator vendor without a simulator', () => {
  it('maps a refused connection to a retryable vendor fault', async () => {
    const vendor = createSimulatorVendor({
      id: SMS,
      channels: ['sms'],
      baseUrl: `http://127.0.0.1:${await closedPort()}`,
    });
    try {
      const error = await sendError(vendor, outbound('m1'));
      assert.equal(error.code, 'HERALD_VENDOR_UNAVAILABLE');
      assert.equal(error.retryable, true);
      assert.equal(error.vendorFault, true);
      assert.equal(error.vendorCode, 'ECONNREFUSED');
    } finally {
      await vendor.close();
    }
  });

  it('fails a hung call as a retryable vendor fault when the simulator closes under it', async () => {
    const sim = await startSimulatorServer({ vendors: { [SMS]: { hangShare: 1 } } });
    const vendor = createSimulatorVendor({ id: SMS, channels: ['sms'], baseUrl: sim.url });
    try {
      const pending = sendError(vendor, outbound('m1'));
      // One more round trip, so the hung request (written first) has reached the simulator.
      assert.equal((await fetch(`${sim.url}/_sim/stats`)).status, 200);
      await sim.close();
      const error = await pending;
      assert.equal(error.code, 'HERALD_VENDOR_UNAVAILABLE');
      assert.equal(error.vendorFault, true);
    } finally {
      await vendor.close();
    }
  });

  it('refuses to send once closed, without blaming the vendor', async () => {
    const sim = await startSimulatorServer({ vendors: { [SMS]: {} } });
    const vendor = createSimulatorVendor({ id: SMS, channels: ['sms'], baseUrl: sim.url });
    try {
      await vendor.send(outbound('m1'), noLimit());
      await vendor.close();
      await vendor.close();
      const error = await sendError(vendor, outbound('m2'));
      assert.equal(error.code, 'HERALD_VENDOR_UNAVAILABLE');
      assert.equal(error.vendorFault, false);
      assert.equal(error.vendorCode, 'CLIENT_CLOSED');
    } finally {
      await sim.close();
    }
  });

  it('cuts off a call still hanging after the close grace', async () => {
    const sim = await startSimulatorServer({ vendors: { [SMS]: { hangShare: 1 } } });
    const vendor = createSimulatorVendor({ id: SMS, channels: ['sms'], baseUrl: sim.url, closeGraceMs: 50 });
    try {
      const pending = sendError(vendor, outbound('m1'));
      assert.equal((await fetch(`${sim.url}/_sim/stats`)).status, 200);
      await vendor.close();
      const error = await pending;
      assert.equal(error.code, 'HERALD_VENDOR_UNAVAILABLE');
      assert.equal(error.vendorFault, false, 'our own shutdown is not the vendor fault');
    } finally {
      await sim.close();
    }
  });

  it('leaves a shared dispatcher open for its other users when it closes', async () => {
    const sim = await startSimulatorServer({ vendors: { [SMS]: {}, [KAKAO]: {} } });
    const shared = new Agent({ connections: 16 });
    const sms = createSimulatorVendor({ id: SMS, channels: ['sms'], baseUrl: sim.url, dispatcher: shared });
    const kakao = createSimulatorVendor({
      id: KAKAO,
      channels: ['alimtalk'],
      baseUrl: sim.url,
      dispatcher: shared,
    });
    try {
      await sms.send(outbound('m1'), noLimit());
      await sms.close();
      await kakao.send(outbound('a1', { channel: 'alimtalk' }), noLimit());
      assert.equal(sim.countFor(KAKAO, 'a1'), 1);
    } finally {
      await kakao.close();
      await shared.close();
      await sim.close();
    }
  });
});

/** A port nothing listens on: bound once by us, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
