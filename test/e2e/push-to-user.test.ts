import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startTestHerald, type TestHerald, waitFor } from '../support/herald-harness.ts';

const apnsToken = () => randomBytes(32).toString('hex');
const fcmToken = () =>
  `${randomBytes(16).toString('base64url')}:APA91b${randomBytes(100).toString('base64url')}`;

interface Device {
  readonly messageId: string;
  readonly recipient: string;
  readonly status: string;
  readonly vendor: string | null;
  readonly error?: { readonly code: string } | null;
}

/**
 * A push to a user end to end on the embedded default: devices registered with PUT /v1/devices,
 * one `{"userId"}` request, and each device's message reaching its own provider's simulator once.
 * A token the push service calls dead (FCM 404 UNREGISTERED, APNs 410 Unregistered: the simulators
 * answer so for tokens marked dead) is marked dead in the registry and skipped from then on.
 */
describe('push to a user, end to end (embedded default)', () => {
  let h: TestHerald;
  before(async () => {
    h = await startTestHerald();
  });
  after(() => h.stop());

  const sim = () => h.herald.fleet.simulator!;

  async function register(userId: string, token: string, provider: 'fcm' | 'apns') {
    const device =
      provider === 'fcm'
        ? { token, provider, platform: 'android', app: 'com.shop.android', userId }
        : { token, provider, platform: 'ios', app: 'com.shop.ios', userId };
    const response = await h.call('PUT', '/v1/devices', device);
    assert.ok([200, 201].includes(response.status), JSON.stringify(response.body));
  }

  async function pushTo(userId: string) {
    const response = await h.call('POST', '/v1/messages', {
      channel: 'push',
      lane: 'realtime',
      content: { subject: '배송 시작', body: '주문하신 상품이 출발했습니다' },
      recipients: [{ userId }],
      push: { data: { orderId: '42' }, android: { priority: 'high' } },
    });
    assert.equal(response.status, 202, JSON.stringify(response.body));
    return response.body as { requestId: string; messages: { messageId: string }[] };
  }

  /** The request's one entry once it and every device message of it are final. */
  function settled(requestId: string) {
    const final = new Set(['sent', 'failed', 'expired', 'duplicate', 'expanded']);
    return waitFor(
      async () => {
        const [entry] = (await h.call('GET', `/v1/requests/${requestId}`)).body.messages;
        const devices: Device[] = entry.devices ?? [];
        return final.has(entry.status) && devices.every((d) => final.has(d.status)) ? entry : undefined;
      },
      30_000,
      `request ${requestId} settled`,
    );
  }

  it("sends one message to each of the user's devices, each through its own provider, once", async () => {
    const [fcm, apns] = [fcmToken(), apnsToken()];
    await register('member-1', fcm, 'fcm');
    await register('member-1', apns, 'apns');
    const accepted = await pushTo('member-1');
    const entry = await settled(accepted.requestId);

    assert.equal(entry.status, 'expanded');
    const devices: Device[] = entry.devices;
    assert.equal(devices.length, 2);
    const byVendor = new Map(devices.map((d) => [d.vendor, d]));
    assert.deepEqual([...byVendor.keys()].sort(), ['apns', 'fcm']);
    assert.equal(byVendor.get('fcm')?.recipient, `${fcm.slice(0, 6)}****`);
    assert.equal(byVendor.get('apns')?.recipient, `${apns.slice(0, 6)}****`);
    for (const [vendor, other] of [
      ['fcm', 'apns'],
      ['apns', 'fcm'],
    ] as const) {
      const device = byVendor.get(vendor)!;
      assert.equal(device.status, 'sent');
      assert.equal(sim().countFor(vendor, device.messageId), 1, `${vendor} got its device's message once`);
      assert.equal(sim().countFor(other, device.messageId), 0);
    }

    const parent = (await h.call('GET', `/v1/messages/${entry.messageId}`)).body;
    assert.equal(parent.recipient, 'user:me****');
    assert.deepEqual(
      parent.devices.map((d: Device) => d.messageId).sort(),
      devices.map((d) => d.messageId).sort(),
    );
    const child = (await h.call('GET', `/v1/messages/${devices[0]!.messageId}`)).body;
    assert.equal(child.parentMessageId, entry.messageId);
    assert.deepEqual(
      child.events.map((e: { status: string }) => e.status),
      ['accepted', 'sending', 'sent'],
    );
  });

  it("marks a token dead on the push service's own answer, and the next push to the user skips it", async () => {
    const [fcm, apns] = [fcmToken(), apnsToken()];
    await register('member-2', fcm, 'fcm');
    await register('member-2', apns, 'apns');
    // From now on the FCM simulator answers 404 UNREGISTERED for this token, as FCM does for an
    // uninstalled app; the APNs one still delivers.
    sim().markTokensDead('fcm', [fcm]);
    const first = await settled((await pushTo('member-2')).requestId);
    const outcomes = new Map((first.devices as Device[]).map((d) => [d.vendor, d]));
    assert.equal(outcomes.get('apns')?.status, 'sent');
    assert.equal(outcomes.get('fcm')?.status, 'failed');
    assert.equal(outcomes.get('fcm')?.error?.code, 'HERALD_TOKEN_INVALID');

    const listed = (await h.call('GET', '/v1/users/member-2/devices')).body;
    const dead = listed.devices.find((d: { provider: string }) => d.provider === 'fcm');
    assert.equal(dead.deadReason, 'UNREGISTERED');
    assert.ok(dead.deadAt > 0);
    assert.equal(listed.devices.find((d: { provider: string }) => d.provider === 'apns').deadAt, null);
    assert.ok((await h.herald.metrics.count(h.herald.metrics.pushTokensDead, { provider: 'fcm' })) >= 1);

    const second = await settled((await pushTo('member-2')).requestId);
    assert.deepEqual(
      second.devices.map((d: Device) => [d.vendor, d.status]),
      [['apns', 'sent']],
    );
  });

  it('marks an APNs token dead on 410 Unregistered, and fails a user with no live device', async () => {
    const apns = apnsToken();
    await register('member-3', apns, 'apns');
    sim().markTokensDead('apns', [apns]);
    const first = await settled((await pushTo('member-3')).requestId);
    assert.deepEqual(
      first.devices.map((d: Device) => [d.vendor, d.status, d.error?.code]),
      [['apns', 'failed', 'HERALD_TOKEN_INVALID']],
    );
    // Its only device is dead now: the user has none left to send to.
    const second = await settled((await pushTo('member-3')).requestId);
    assert.equal(second.status, 'failed');
    assert.equal(second.error.code, 'HERALD_NO_DEVICES');

    const nobody = await settled((await pushTo('member-without-devices')).requestId);
    assert.equal(nobody.status, 'failed');
    assert.equal(nobody.error.code, 'HERALD_NO_DEVICES');
    assert.equal(nobody.devices, undefined);
  });
});
