import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { SqliteDeviceRegistry } from '../../src/adapters/sqlite/sqlite-device-registry.ts';
import { DEFAULT_RATE_LIMITS, DEFAULT_REMOTE_CONFIG } from '../../src/config/default-remote-config.ts';
import { hashRecipient } from '../../src/core/identity/recipient-privacy.ts';
import { apnsToken, fcmToken } from '../contracts/device-registry.contract.ts';
import { recordingLogger } from '../support/recording-logger.ts';
import { auth, buildTestApp, OTHER_CLIENT_KEY, type TestApp } from './test-app.ts';

/** PUT/DELETE /v1/devices and GET /v1/users/:userId/devices over the embedded registry. */
describe('device routes', () => {
  let t: TestApp;
  let devices: SqliteDeviceRegistry;
  beforeEach(async () => {
    devices = new SqliteDeviceRegistry({ path: ':memory:' });
    t = await buildTestApp({ devices });
  });
  afterEach(async () => {
    await t.app.close();
    await devices.close();
  });

  const hashOf = (token: string) => hashRecipient(token, t.submission.context.recipientHashSecret);
  const put = (payload: Record<string, unknown>, key?: string) =>
    t.app.inject({ method: 'PUT', url: '/v1/devices', headers: auth(key), payload });
  const remove = (token: string, key?: string) =>
    t.app.inject({ method: 'DELETE', url: `/v1/devices/${encodeURIComponent(token)}`, headers: auth(key) });
  const list = (userId: string, key?: string) =>
    t.app.inject({
      method: 'GET',
      url: `/v1/users/${encodeURIComponent(userId)}/devices`,
      headers: auth(key),
    });
  const android = (overrides: Record<string, unknown> = {}) => ({
    token: fcmToken(),
    provider: 'fcm',
    platform: 'android',
    app: 'com.example.shop',
    userId: 'user-1',
    ...overrides,
  });

  describe('PUT /v1/devices', () => {
    it('answers 201 with the device, token masked, then 200 when the same token is registered again', async () => {
      const body = android();
      const created = await put(body);
      assert.equal(created.statusCode, 201, created.body);
      const view = created.json();
      assert.equal(view.tokenMasked, `${body.token.slice(0, 6)}****`);
      assert.equal(view.tokenHash, hashOf(body.token));
      assert.deepEqual(
        [view.provider, view.platform, view.app, view.userId, view.deadAt, view.deadReason],
        ['fcm', 'android', 'com.example.shop', 'user-1', null, null],
      );
      assert.ok(!created.body.includes(body.token.slice(6)), 'the answer carries the token');
      const updated = await put({ ...body, userId: 'user-2' });
      assert.equal(updated.statusCode, 200);
      assert.equal(updated.json().userId, 'user-2');
      assert.equal(updated.json().createdAt, view.createdAt);
    });

    it('registers an APNs token for iOS, a web FCM token without a user', async () => {
      const ios = await put({
        token: apnsToken(),
        provider: 'apns',
        platform: 'ios',
        app: 'com.example.shop',
      });
      assert.equal(ios.statusCode, 201, ios.body);
      assert.equal(ios.json().userId, null);
      const web = await put(android({ platform: 'web', app: 'https://shop.example', userId: undefined }));
      assert.equal(web.statusCode, 201, web.body);
    });

    it('stores an APNs token in lower case, so the same device in upper case is an update', async () => {
      const token = apnsToken();
      const body = { token: token.toUpperCase(), provider: 'apns', platform: 'ios', app: 'com.example.shop' };
      assert.equal((await put(body)).json().tokenHash, hashOf(token));
      assert.equal((await put({ ...body, token })).statusCode, 200);
    });

    for (const [name, overrides, code, field, message] of [
      ['no token', { token: undefined }, 'HERALD_VALIDATION_FAILED', 'token', /token is required/],
      ['an unknown provider', { provider: 'gcm' }, 'HERALD_VALIDATION_FAILED', 'provider', /fcm, apns/],
      [
        'an unknown platform',
        { platform: 'windows' },
        'HERALD_VALIDATION_FAILED',
        'platform',
        /android, ios, web/,
      ],
      ['an empty app', { app: '' }, 'HERALD_VALIDATION_FAILED', 'app', /must not be empty/],
      [
        'an app of 256 characters',
        { app: 'a'.repeat(256) },
        'HERALD_VALIDATION_FAILED',
        'app',
        /at most 255/,
      ],
      ['an app with a space', { app: 'com.example shop' }, 'HERALD_VALIDATION_FAILED', 'app', /bundle id/],
      ['an empty userId', { userId: '' }, 'HERALD_VALIDATION_FAILED', 'userId', /must not be empty/],
      [
        'a userId of 256 characters',
        { userId: 'u'.repeat(256) },
        'HERALD_VALIDATION_FAILED',
        'userId',
        /at most 255/,
      ],
      [
        'a userId with NUL',
        { userId: 'a\u0000b' },
        'HERALD_VALIDATION_FAILED',
        'userId',
        /control characters/,
      ],
      ['an unknown field', { user: 'x' }, 'HERALD_VALIDATION_FAILED', 'user', /not a known field/],
      [
        'an FCM token with spaces',
        { token: 'not a token' },
        'HERALD_INVALID_DEVICE_TOKEN',
        'token',
        /getToken/,
      ],
      [
        'an APNs token as fcm',
        { token: apnsToken() },
        'HERALD_INVALID_DEVICE_TOKEN',
        'token',
        /provider "apns"/,
      ],
      [
        'an FCM token as apns',
        { provider: 'apns', platform: 'ios' },
        'HERALD_INVALID_DEVICE_TOKEN',
        'token',
        /not an APNs device token.*provider "fcm"/,
      ],
      [
        'an APNs token of 63 hex digits',
        { token: apnsToken().slice(1), provider: 'apns', platform: 'ios' },
        'HERALD_INVALID_DEVICE_TOKEN',
        'token',
        /hex digits, 64/,
      ],
      [
        'apns for android',
        { token: apnsToken(), provider: 'apns' },
        'HERALD_VALIDATION_FAILED',
        'platform',
        /Apple devices only/,
      ],
    ] as const) {
      it(`refuses ${name} with ${code}, naming the field`, async () => {
        const body = android(overrides);
        const response = await put(body);
        assert.equal(response.statusCode, 400, response.body);
        const { error } = response.json();
        assert.equal(error.code, code);
        assert.ok(error.message.includes(field), error.message);
        assert.match(error.message, message);
        if (typeof body.token === 'string' && body.token.length > 20) {
          assert.ok(!response.body.includes(body.token), 'the answer repeats the token');
        }
      });
    }

    it('needs an API key', async () => {
      const response = await t.app.inject({ method: 'PUT', url: '/v1/devices', payload: android() });
      assert.equal(response.statusCode, 401);
    });
  });

  describe('DELETE /v1/devices/:token', () => {
    it('removes a registered token (204), then answers 404 HERALD_NOT_FOUND', async () => {
      const body = android();
      await put(body);
      const removed = await remove(body.token);
      assert.equal(removed.statusCode, 204, removed.body);
      assert.equal(removed.body, '');
      const again = await remove(body.token);
      assert.equal(again.statusCode, 404);
      assert.equal(again.json().error.code, 'HERALD_NOT_FOUND');
      assert.deepEqual((await list('user-1')).json(), { devices: [] });
    });

    it('finds an APNs token in any case; never removes another client’s device', async () => {
      const token = apnsToken();
      await put({ token, provider: 'apns', platform: 'ios', app: 'com.example.shop', userId: 'user-1' });
      assert.equal((await remove(token, OTHER_CLIENT_KEY)).statusCode, 404);
      assert.equal((await remove(token.toUpperCase())).statusCode, 204);
    });

    it('takes a token of the longest length the PUT accepts', async () => {
      const token = `${'a'.repeat(30)}:APA91b${'x'.repeat(4096 - 37)}`;
      assert.equal((await put(android({ token }))).statusCode, 201);
      assert.equal((await remove(token)).statusCode, 204);
    });
  });

  describe('GET /v1/users/:userId/devices', () => {
    it("lists the user's devices masked, live and dead, oldest first; only the caller's", async () => {
      const phone = android();
      const tablet = {
        token: apnsToken(),
        provider: 'apns',
        platform: 'ios',
        app: 'com.example.shop',
        userId: 'user-1',
      };
      await put(phone);
      await put(tablet);
      await put(android(), OTHER_CLIENT_KEY);
      await devices.markDead(
        'shop',
        [{ tokenHash: hashOf(phone.token), reason: 'UNREGISTERED' }],
        Date.now(),
      );
      const response = await list('user-1');
      assert.equal(response.statusCode, 200);
      const listed = response.json().devices;
      assert.deepEqual(
        listed.map((d: { tokenMasked: string; deadReason: string | null }) => [d.tokenMasked, d.deadReason]),
        [
          [`${phone.token.slice(0, 6)}****`, 'UNREGISTERED'],
          [`${tablet.token.slice(0, 6)}****`, null],
        ],
      );
      assert.equal(typeof listed[0].deadAt, 'number');
      assert.ok(
        !response.body.includes(phone.token.slice(6)) && !response.body.includes(tablet.token.slice(6)),
      );
      assert.deepEqual((await list('nobody')).json(), { devices: [] });
    });

    it('refuses a user id with control characters', async () => {
      const response = await list('a\u0001b');
      assert.equal(response.statusCode, 400);
      assert.equal(response.json().error.code, 'HERALD_VALIDATION_FAILED');
    });
  });

  it('counts against the client’s request rate like every /v1 call', async () => {
    const limited = {
      requestsPerSecond: 1,
      requestBurst: 0,
      recipientsPerSecond: 100_000,
      recipientBurst: 0,
    };
    t.submission.config = {
      ...DEFAULT_REMOTE_CONFIG,
      rateLimits: { ...DEFAULT_RATE_LIMITS, clients: { shop: limited } },
    };
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await list('user-1')).statusCode);
    assert.ok(statuses.includes(429), JSON.stringify(statuses));
  });

  it('documents the three routes in the OpenAPI document', async () => {
    const { paths } = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    assert.ok(paths['/v1/devices'].put);
    assert.ok(paths['/v1/devices/{token}'].delete);
    assert.ok(paths['/v1/users/{userId}/devices'].get);
  });
});

describe('device routes and the log', () => {
  it('never log a token: not from the PUT body, the DELETE path, a refused or a mistyped call', async () => {
    const { logger, text } = recordingLogger();
    const devices = new SqliteDeviceRegistry({ path: ':memory:' });
    const t = await buildTestApp({ devices, logger });
    try {
      const token = fcmToken();
      const apns = apnsToken();
      const calls = [
        {
          method: 'PUT',
          url: '/v1/devices',
          payload: { token, provider: 'fcm', platform: 'android', app: 'a', userId: 'u' },
        },
        {
          method: 'PUT',
          url: '/v1/devices',
          payload: { token: apns, provider: 'fcm', platform: 'ios', app: 'a' },
        },
        { method: 'GET', url: '/v1/users/u/devices' },
        { method: 'DELETE', url: `/v1/devices/${token}` },
        { method: 'DELETE', url: `/v1/devices/${token}?again=1` },
        { method: 'DELETE', url: `/V1/DEVICES/${apns}` },
      ] as const;
      const statuses = [];
      for (const call of calls) statuses.push((await t.app.inject({ ...call, headers: auth() })).statusCode);
      assert.deepEqual(statuses, [201, 400, 200, 204, 404, 404]);
      const log = text();
      assert.ok(log.includes('/v1/devices/[redacted]'), 'the DELETE is logged, its token redacted');
      for (const secret of [token, token.slice(6, 40), apns.slice(6, 40)]) {
        assert.ok(!log.includes(secret), `the log carries a token: ${secret}`);
      }
    } finally {
      await t.app.close();
      await devices.close();
    }
  });
});
