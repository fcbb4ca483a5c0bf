import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { PushProvider } from '../../src/core/domain/push-provider.ts';
import { hashRecipient } from '../../src/core/identity/recipient-privacy.ts';
import type { DevicePlatform, DeviceRegistration, DeviceRegistry } from '../../src/ports/device-registry.ts';
import type { ContractFactory } from './contract-helpers.ts';
import { uniqueName } from './contract-helpers.ts';

const SECRET = 'device-registry-contract-secret';

/** Tokens as issued: APNs 32 bytes in hex; FCM `<installation id>:APA91b...` (URL-safe base64). */
export function apnsToken(): string {
  return randomBytes(32).toString('hex');
}

export function fcmToken(): string {
  return `${randomBytes(16).toString('base64url')}:APA91b${randomBytes(105).toString('base64url')}`;
}

/** What the device registry holds for a client's users, whatever engine holds it. */
export function describeDeviceRegistryContract(
  name: string,
  makeStore: ContractFactory<DeviceRegistry>,
): void {
  describe(`${name} device registry contract`, () => {
    let store: DeviceRegistry;
    let cleanup: () => Promise<void>;
    let clientId: string;

    beforeEach(async () => {
      ({ store, cleanup } = await makeStore());
      clientId = uniqueName('client');
    });
    afterEach(async () => cleanup());

    const device = (
      overrides: Partial<DeviceRegistration> & { provider?: PushProvider; platform?: DevicePlatform } = {},
    ): DeviceRegistration => {
      const provider = overrides.provider ?? 'fcm';
      const token = overrides.token ?? (provider === 'apns' ? apnsToken() : fcmToken());
      return {
        clientId,
        token,
        tokenHash: hashRecipient(token, SECRET),
        provider,
        platform: provider === 'apns' ? 'ios' : 'android',
        app: provider === 'apns' ? 'com.example.shop' : 'com.example.shop.android',
        userId: 'user-1',
        ...overrides,
      };
    };

    describeRegistration(() => ({ store, clientId, device }));
    describeLookups(() => ({ store, clientId, device }));
    describeDeaths(() => ({ store, clientId, device }));
  });
}

interface Subject {
  readonly store: DeviceRegistry;
  readonly clientId: string;
  device(overrides?: Partial<DeviceRegistration>): DeviceRegistration;
}

function describeRegistration(subject: () => Subject): void {
  it('creates a device, then updates it in place, keeping when it was created', async () => {
    const { store, device } = subject();
    const phone = device();
    const first = await store.put(phone, 1_000);
    assert.equal(first.outcome, 'created');
    assert.deepEqual(first.device, {
      tokenMasked: `${phone.token.slice(0, 6)}****`,
      tokenHash: phone.tokenHash,
      provider: 'fcm',
      platform: 'android',
      app: 'com.example.shop.android',
      userId: 'user-1',
      createdAt: 1_000,
      updatedAt: 1_000,
      deadAt: null,
      deadReason: null,
    });
    const second = await store.put({ ...phone, platform: 'web', app: 'https://shop.example' }, 2_000);
    assert.equal(second.outcome, 'updated');
    assert.deepEqual(
      { ...second.device },
      { ...first.device, platform: 'web', app: 'https://shop.example', updatedAt: 2_000 },
    );
  });

  it('never shows the token in clear in a view', async () => {
    const { store, device } = subject();
    const phone = device();
    const { device: view } = await store.put(phone, 1_000);
    const listed = await store.listForUser(phone.clientId, 'user-1');
    assert.ok(!JSON.stringify([view, listed]).includes(phone.token.slice(6)));
  });

  it('of two puts racing for one new token, exactly one creates it', async () => {
    const { store, device } = subject();
    const phone = device();
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, (_, i) => store.put({ ...phone, userId: `user-${i}` }, 1_000 + i)),
    );
    assert.deepEqual(outcomes.map((o) => o.outcome).sort(), ['created', ...Array(7).fill('updated')]);
  });

  it('moves a device to the user it is registered for now; without a user it belongs to none', async () => {
    const { store, clientId, device } = subject();
    const phone = device({ userId: 'user-1' });
    await store.put(phone, 1_000);
    await store.put({ ...phone, userId: 'user-2' }, 2_000);
    assert.deepEqual(await store.listForUser(clientId, 'user-1'), []);
    assert.deepEqual(
      (await store.listForUser(clientId, 'user-2')).map((d) => d.tokenHash),
      [phone.tokenHash],
    );
    const { userId: _, ...anonymous } = phone;
    const { device: view } = await store.put(anonymous, 3_000);
    assert.equal(view.userId, null);
    assert.deepEqual(await store.listForUser(clientId, 'user-2'), []);
    assert.deepEqual((await store.liveDevicesOf(clientId, ['user-2'])).get('user-2'), []);
  });

  it('removes a device once; an unknown token, or another client, removes nothing', async () => {
    const { store, clientId, device } = subject();
    const phone = device();
    await store.put(phone, 1_000);
    assert.equal(await store.remove(uniqueName('other-client'), phone.tokenHash), false);
    assert.equal(await store.remove(clientId, hashRecipient('unknown', SECRET)), false);
    assert.equal(await store.remove(clientId, phone.tokenHash), true);
    assert.equal(await store.remove(clientId, phone.tokenHash), false);
    assert.deepEqual(await store.listForUser(clientId, 'user-1'), []);
  });

  it('keeps each client apart: the same token and user id at two clients are two devices', async () => {
    const { store, clientId, device } = subject();
    const phone = device();
    const otherClient = uniqueName('other-client');
    assert.equal((await store.put(phone, 1_000)).outcome, 'created');
    assert.equal(
      (await store.put({ ...phone, clientId: otherClient, app: 'other' }, 2_000)).outcome,
      'created',
    );
    assert.equal((await store.listForUser(clientId, 'user-1'))[0]!.app, phone.app);
    await store.markDead(otherClient, [{ tokenHash: phone.tokenHash, reason: 'UNREGISTERED' }], 3_000);
    assert.equal((await store.liveDevicesOf(clientId, ['user-1'])).get('user-1')!.length, 1);
    assert.equal((await store.liveDevicesOf(otherClient, ['user-1'])).get('user-1')!.length, 0);
  });

  it('answers healthy while open', async () => {
    assert.equal(await subject().store.healthy(), true);
  });
}

function describeLookups(subject: () => Subject): void {
  it("lists a user's devices oldest first, live and dead", async () => {
    const { store, clientId, device } = subject();
    const tablet = device({ provider: 'apns', platform: 'ios' });
    const phone = device();
    await store.put(phone, 2_000);
    await store.put(tablet, 1_000);
    await store.put(device({ userId: 'someone-else' }), 500);
    await store.markDead(clientId, [{ tokenHash: phone.tokenHash, reason: 'UNREGISTERED' }], 3_000);
    const listed = await store.listForUser(clientId, 'user-1');
    assert.deepEqual(
      listed.map((d) => [d.tokenHash, d.provider, d.deadAt, d.deadReason]),
      [
        [tablet.tokenHash, 'apns', null, null],
        [phone.tokenHash, 'fcm', 3_000, 'UNREGISTERED'],
      ],
    );
    assert.deepEqual(await store.listForUser(clientId, 'nobody'), []);
  });

  it('gives the live devices of a batch of users, tokens in clear, every asked user present', async () => {
    const { store, clientId, device } = subject();
    const a1 = device({ userId: 'a' });
    const a2 = device({ userId: 'a', provider: 'apns', platform: 'ios', app: 'com.example.shop' });
    const b1 = device({ userId: 'b' });
    const deadOfB = device({ userId: 'b' });
    await store.put(a1, 1_000);
    await store.put(a2, 2_000);
    await store.put(b1, 3_000);
    await store.put(deadOfB, 4_000);
    await store.markDead(clientId, [{ tokenHash: deadOfB.tokenHash, reason: 'Unregistered' }], 5_000);
    const live = await store.liveDevicesOf(clientId, ['a', 'b', 'c', 'a']);
    assert.deepEqual([...live.keys()].sort(), ['a', 'b', 'c']);
    assert.deepEqual(live.get('a'), [
      { token: a1.token, tokenHash: a1.tokenHash, provider: 'fcm', platform: 'android', app: a1.app },
      {
        token: a2.token,
        tokenHash: a2.tokenHash,
        provider: 'apns',
        platform: 'ios',
        app: 'com.example.shop',
      },
    ]);
    assert.deepEqual(
      live.get('b')!.map((d) => d.token),
      [b1.token],
    );
    assert.deepEqual(live.get('c'), []);
    assert.deepEqual(await store.liveDevicesOf(clientId, []), new Map());
  });

  it('answers a batch of 500 users at once', async () => {
    const { store, clientId, device } = subject();
    const users = Array.from({ length: 500 }, (_, i) => `u${i}`);
    for (const userId of users.filter((_, i) => i % 50 === 0)) await store.put(device({ userId }), 1_000);
    const live = await store.liveDevicesOf(clientId, users);
    assert.equal(live.size, 500);
    assert.equal([...live.values()].filter((devices) => devices.length === 1).length, 10);
  });

  it('takes user ids and apps as given: case, spaces and text outside ASCII are kept', async () => {
    const { store, clientId, device } = subject();
    const userId = '사용자 Kim #42';
    await store.put(device({ userId }), 1_000);
    assert.equal((await store.liveDevicesOf(clientId, [userId])).get(userId)!.length, 1);
    assert.equal(
      (await store.liveDevicesOf(clientId, [userId.toUpperCase()])).get(userId.toUpperCase())!.length,
      0,
    );
  });
}

function describeDeaths(subject: () => Subject): void {
  it('marks tokens dead idempotently: the first death keeps its time and reason', async () => {
    const { store, clientId, device } = subject();
    const phone = device();
    await store.put(phone, 1_000);
    await store.markDead(clientId, [{ tokenHash: phone.tokenHash, reason: 'UNREGISTERED' }], 2_000);
    await store.markDead(clientId, [{ tokenHash: phone.tokenHash, reason: 'Unregistered' }], 3_000);
    const [view] = await store.listForUser(clientId, 'user-1');
    assert.deepEqual([view!.deadAt, view!.deadReason, view!.updatedAt], [2_000, 'UNREGISTERED', 1_000]);
    assert.deepEqual((await store.liveDevicesOf(clientId, ['user-1'])).get('user-1'), []);
  });

  it('ignores unknown hashes in a batch and marks the known ones; a hash twice in a batch is fine', async () => {
    const { store, clientId, device } = subject();
    const phone = device();
    const tablet = device();
    await store.put(phone, 1_000);
    await store.put(tablet, 1_000);
    await store.markDead(
      clientId,
      [
        { tokenHash: hashRecipient('never-registered', SECRET), reason: 'UNREGISTERED' },
        { tokenHash: phone.tokenHash, reason: 'UNREGISTERED' },
        { tokenHash: phone.tokenHash, reason: 'UNREGISTERED' },
      ],
      2_000,
    );
    await store.markDead(clientId, [], 2_000);
    const live = (await store.liveDevicesOf(clientId, ['user-1'])).get('user-1')!;
    assert.deepEqual(
      live.map((d) => d.tokenHash),
      [tablet.tokenHash],
    );
  });

  it('registering a dead token again makes it live again, for the user it is registered for now', async () => {
    const { store, clientId, device } = subject();
    const phone = device({ userId: 'old-owner' });
    await store.put(phone, 1_000);
    await store.markDead(clientId, [{ tokenHash: phone.tokenHash, reason: 'UNREGISTERED' }], 2_000);
    const again = await store.put({ ...phone, userId: 'new-owner' }, 3_000);
    assert.equal(again.outcome, 'updated');
    assert.deepEqual(
      [again.device.deadAt, again.device.deadReason, again.device.userId],
      [null, null, 'new-owner'],
    );
    const live = await store.liveDevicesOf(clientId, ['old-owner', 'new-owner']);
    assert.deepEqual(live.get('old-owner'), []);
    assert.deepEqual(
      live.get('new-owner')!.map((d) => d.token),
      [phone.token],
    );
  });

  it('a device registered again after the death was reported stays live', async () => {
    const { store, clientId, device } = subject();
    const phone = device();
    await store.put(phone, 1_000);
    await store.put(phone, 3_000);
    await store.markDead(clientId, [{ tokenHash: phone.tokenHash, reason: 'Unregistered' }], 2_000);
    assert.equal((await store.liveDevicesOf(clientId, ['user-1'])).get('user-1')!.length, 1);
  });
}
