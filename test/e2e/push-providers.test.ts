import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startTestHerald, type TestHerald, waitFor, waitForRequest } from '../support/herald-harness.ts';

const COUNT = 20;
/** APNs device tokens as apps send them: 32 bytes in hex. */
const apnsTokens = (n: number) => Array.from({ length: n }, () => randomBytes(32).toString('hex'));
/** FCM registration tokens: `<installation id>:APA91b<...>`, URL-safe base64. */
const fcmTokens = (n: number) =>
  Array.from(
    { length: n },
    () => `${randomBytes(16).toString('base64url')}:APA91b${randomBytes(100).toString('base64url')}`,
  );

/**
 * Push goes to the provider the token belongs to, never split by weight across providers: every
 * APNs-shaped token reaches an APNs vendor and every FCM-shaped one an FCM vendor; weights split a
 * provider's traffic between its own vendors (fcm and fcm-b: two FCM projects); with APNs switched
 * off, APNs tokens wait (HERALD_NO_VENDOR) instead of going to FCM.
 */
describe('push routing by provider, end to end (embedded default)', () => {
  let h: TestHerald;
  before(async () => {
    h = await startTestHerald();
  });
  after(() => h.stop());

  const send = (tokens: string[]) =>
    h.call('POST', '/v1/messages', {
      channel: 'push',
      lane: 'realtime',
      content: { subject: '배송 시작', body: '주문하신 상품이 출발했습니다' },
      recipients: tokens.map((to) => ({ to })),
    });
  const sim = () => h.herald.fleet.simulator!;

  it('delivers every APNs token through the APNs simulator and every FCM token through FCM', async () => {
    const apns = await send(apnsTokens(COUNT));
    const fcm = await send(fcmTokens(COUNT));
    assert.equal(apns.status, 202, JSON.stringify(apns.body));
    assert.equal(fcm.status, 202, JSON.stringify(fcm.body));
    const apnsView = await waitForRequest(h, apns.body.requestId);
    const fcmView = await waitForRequest(h, fcm.body.requestId);
    for (const [view, vendor, other] of [
      [apnsView, 'apns', 'fcm'],
      [fcmView, 'fcm', 'apns'],
    ] as const) {
      for (const message of view.messages) {
        assert.equal(message.status, 'sent');
        assert.equal(message.vendor, vendor);
        assert.equal(sim().countFor(vendor, message.messageId), 1);
        assert.equal(sim().countFor(other, message.messageId), 0);
      }
    }
  });

  it('routes by the provider a recipient names, and refuses a token whose shape does not tell', async () => {
    const accepted = await h.call('POST', '/v1/messages', {
      channel: 'push',
      lane: 'realtime',
      content: { body: '주문하신 상품이 출발했습니다' },
      recipients: [{ to: 'registry-token-0001', provider: 'apns' }, { to: 'registry-token-0002' }],
    });
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    assert.equal(accepted.body.messages[1].error.code, 'HERALD_UNKNOWN_PUSH_PROVIDER');
    const view = await waitForRequest(h, accepted.body.requestId);
    assert.equal(view.messages[0].vendor, 'apns');
    const unknown = await h.call('POST', '/v1/messages', {
      channel: 'push',
      lane: 'realtime',
      content: { body: 'hi' },
      recipients: [{ to: 'registry-token-0003', provider: 'huawei' }],
    });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error.code, 'HERALD_VALIDATION_FAILED');
  });

  it('retries APNs tokens with HERALD_NO_VENDOR while APNs is switched off, never sending them to FCM', async () => {
    const current = await h.call('GET', '/admin/config');
    const document = structuredClone(current.body.document);
    document.routing.push = [
      { vendor: 'fcm', weight: 100 },
      { vendor: 'apns', weight: 0 },
    ];
    const put = await h.call('PUT', '/admin/config', document);
    assert.equal(put.status, 200);
    await waitFor(async () => h.herald.config.version >= put.body.version, 2_000, 'config applied');

    const accepted = await send(apnsTokens(5));
    assert.equal(accepted.status, 202);
    for (const { messageId } of accepted.body.messages) {
      const retrying = await waitFor(
        async () => {
          const message = await h.call('GET', `/v1/messages/${messageId}`);
          return message.body.events.find((e: { status: string }) => e.status === 'retrying');
        },
        10_000,
        `message ${messageId} to be retried`,
      );
      assert.equal(retrying.errorCode, 'HERALD_NO_VENDOR');
      assert.match(retrying.errorMessage, /no vendor available for push to apns tokens/);
      assert.equal(sim().countFor('fcm', messageId), 0);
    }
  });
  it("splits a provider's tokens by weight between its own vendors (two FCM projects), never across", async () => {
    const current = await h.call('GET', '/admin/config');
    const document = structuredClone(current.body.document);
    document.routing.push = [
      { vendor: 'fcm', weight: 50 },
      { vendor: 'fcm-b', weight: 50 },
      { vendor: 'apns', weight: 100 },
      { vendor: 'apns-b', weight: 0 },
    ];
    const put = await h.call('PUT', '/admin/config', document);
    assert.equal(put.status, 200, JSON.stringify(put.body));
    await waitFor(async () => h.herald.config.version >= put.body.version, 2_000, 'config applied');

    const fcm = await send(fcmTokens(40));
    const apns = await send(apnsTokens(10));
    const fcmView = await waitForRequest(h, fcm.body.requestId);
    const apnsView = await waitForRequest(h, apns.body.requestId);
    const byVendor = new Map<string, number>();
    for (const message of fcmView.messages) {
      assert.equal(message.status, 'sent');
      assert.ok(['fcm', 'fcm-b'].includes(message.vendor), message.vendor);
      assert.equal(sim().countFor(message.vendor, message.messageId), 1);
      byVendor.set(message.vendor, (byVendor.get(message.vendor) ?? 0) + 1);
    }
    // 40 messages at 50/50 (sticky by message key): both projects get some; the chance that one
    // gets none is 2 x 2^-40.
    assert.ok(
      (byVendor.get('fcm') ?? 0) > 0 && (byVendor.get('fcm-b') ?? 0) > 0,
      JSON.stringify([...byVendor]),
    );
    for (const message of apnsView.messages) {
      assert.equal(message.status, 'sent');
      assert.equal(message.vendor, 'apns');
    }
  });
});
