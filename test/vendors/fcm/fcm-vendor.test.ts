import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { Vendor } from '../../../src/ports/vendor.ts';
import { type SimulatorServer, startSimulatorServer } from '../../../src/simulators/simulator-server.ts';
import { createFcmVendor, type FcmVendorOptions } from '../../../src/vendors/fcm/fcm-vendor.ts';
import { pushMessage, testServiceAccount } from './fcm-test-kit.ts';

const service = testServiceAccount('demo-project');
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(
  simOptions: { accessTokenTtlSeconds?: number; latencyMs?: number } = {},
  vendorOptions: Partial<FcmVendorOptions> = {},
): Promise<{ sim: SimulatorServer; vendor: Vendor }> {
  const latency = simOptions.latencyMs ?? 0;
  const sim = await startSimulatorServer({
    vendors: { fcm: { latency: { medianMs: latency, p99Ms: latency * 2 } } },
    pushTrust: { fcm: { fcm: service.trust } },
    accessTokenTtlSeconds: simOptions.accessTokenTtlSeconds,
  });
  const vendor = createFcmVendor({
    id: 'fcm',
    serviceAccount: service.account,
    baseUrl: `${sim.url}/fcm`,
    tokenUrl: `${sim.url}/oauth2/token`,
    ...vendorOptions,
  });
  cleanups.push(
    () => sim.close(),
    () => vendor.close(),
  );
  return { sim, vendor };
}

const limit = () => AbortSignal.timeout(20_000);

describe('FCM vendor', () => {
  it('refreshes a revoked access token exactly once and sends', async () => {
    const { sim, vendor } = await setup();
    await vendor.send(pushMessage(), limit());
    assert.equal(sim.accessTokensIssued('fcm'), 1);
    sim.revokeAccessTokens('fcm');
    const message = pushMessage();
    await vendor.send(message, limit());
    assert.equal(sim.accessTokensIssued('fcm'), 2, 'one refresh');
    assert.equal(sim.countFor('fcm', message.messageId), 1);
  });

  it('refreshes once for 500 concurrent sends refused with 401', async () => {
    const { sim, vendor } = await setup({ latencyMs: 5 });
    await vendor.send(pushMessage(), limit());
    sim.revokeAccessTokens('fcm');
    const messages = Array.from({ length: 500 }, () => pushMessage());
    await Promise.all(messages.map((message) => vendor.send(message, limit())));
    assert.equal(sim.accessTokensIssued('fcm'), 2);
    assert.ok(messages.every((message) => sim.countFor('fcm', message.messageId) === 1));
  });

  it('asks for one access token for 500 concurrent first sends (single flight)', async () => {
    const { sim, vendor } = await setup();
    await Promise.all(Array.from({ length: 500 }, () => vendor.send(pushMessage(), limit())));
    assert.equal(sim.accessTokensIssued('fcm'), 1);
  });

  it('is unhealthy when a fresh token is refused too', async () => {
    // Tokens that expire the moment they are issued: every call is refused with 401.
    const { sim, vendor } = await setup({ accessTokenTtlSeconds: 0 });
    await assert.rejects(vendor.send(pushMessage(), limit()), {
      code: 'HERALD_VENDOR_UNAVAILABLE',
      vendorCode: 'UNAUTHENTICATED',
      vendorFault: true,
      retryable: true,
    });
    assert.equal(sim.accessTokensIssued('fcm'), 2, 'the first token and one refresh, no more');
  });

  it('loses nothing and duplicates nothing when FCM sends GOAWAY mid-flood', async () => {
    const { sim, vendor } = await setup({ latencyMs: 10 });
    const messages = Array.from({ length: 2_000 }, () => pushMessage());
    let received = 0;
    let goAways = 0;
    sim.onReceive(() => {
      received += 1;
      // Twice, while about half and then most of the flood is in flight.
      if (received === 700 || received === 1_400) goAways += sim.goAway();
    });
    const receipts = await Promise.all(messages.map((message) => vendor.send(message, limit())));
    assert.equal(receipts.length, 2_000);
    assert.ok(goAways >= 2, 'the GOAWAYs reached open sessions');
    for (const message of messages) assert.equal(sim.countFor('fcm', message.messageId), 1);
    assert.deepEqual(sim.stats().vendors.fcm, {
      received: 2_000,
      distinct: 2_000,
      duplicates: 0,
      idempotentReplays: 0,
      calls: 2000,
    });
    assert.ok(sim.h2Stats().sessionsOpened > 1, 'new sessions replaced the ones sent away');
  });

  it('sends a message with every option through FCM checks', async () => {
    const { sim, vendor } = await setup();
    const message = pushMessage({
      push: {
        provider: 'fcm',
        title: 'Title',
        expiresAt: Date.now() + 600_000,
        options: {
          image: 'https://img.example/a.png',
          data: { orderId: '42' },
          android: { priority: 'high', collapseKey: 'orders' },
          apns: { headers: { 'apns-priority': '10' }, payload: { aps: { badge: 1 } } },
          webpush: { headers: { Urgency: 'high' }, link: 'https://shop.example/orders/42' },
        },
      },
    });
    const receipt = await vendor.send(message, limit());
    assert.match(receipt.vendorMessageId, /^projects\/demo-project\/messages\//);
    assert.equal(sim.countFor('fcm', message.messageId), 1);
  });

  it('runs a dry run (validate_only) without delivering', async () => {
    const { sim, vendor } = await setup();
    const message = pushMessage({
      push: { provider: 'fcm', options: { validateOnly: true }, expiresAt: Date.now() + 60_000 },
    });
    const receipt = await vendor.send(message, limit());
    assert.equal(receipt.vendorMessageId, 'projects/demo-project/messages/fake_message_id');
    assert.equal(sim.countFor('fcm', message.messageId), 0);
  });

  it('maps what FCM refuses: a malformed token, a payload over 4 KiB, another project', async () => {
    const { vendor } = await setup();
    await assert.rejects(vendor.send(pushMessage({ to: 'not a token!' }), limit()), {
      code: 'HERALD_RECIPIENT_INVALID',
      field: 'message.token',
    });
    await assert.rejects(vendor.send(pushMessage({ body: 'x'.repeat(5_000) }), limit()), {
      code: 'HERALD_VENDOR_REJECTED',
      vendorCode: 'INVALID_ARGUMENT',
    });
    const { vendor: otherProject } = await setup({}, { projectId: 'someone-else' });
    await assert.rejects(otherProject.send(pushMessage(), limit()), {
      code: 'HERALD_VENDOR_UNAVAILABLE',
      vendorCode: 'PERMISSION_DENIED',
      vendorFault: true,
    });
  });

  it('fails calls after close as a closed client, not a vendor fault', async () => {
    const { vendor } = await setup();
    await vendor.send(pushMessage(), limit());
    await vendor.close();
    await assert.rejects(vendor.send(pushMessage(), limit()), {
      vendorCode: 'CLIENT_CLOSED',
      vendorFault: false,
    });
  });
});
