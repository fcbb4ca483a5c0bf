import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { DEFAULT_RATE_LIMITS, DEFAULT_REMOTE_CONFIG } from '../../src/config/default-remote-config.ts';
import type { ClientRateLimit, RateLimitSettings } from '../../src/core/domain/remote-config.ts';
import { phoneNumbers } from '../support/herald-harness.ts';
import { auth, buildTestApp, CLIENT_KEY, OTHER_CLIENT_KEY, smsBody, type TestApp } from './test-app.ts';

/**
 * Per-client rate limits and failed-auth throttling at the API edge (embedded default: memory
 * counters). Assertions count statuses only: a refused call is 429 HERALD_RATE_LIMITED with
 * Retry-After, and never reaches submitMessages.
 */
describe('rate limits', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp();
  });
  afterEach(() => t.app.close());

  const setLimits = (rateLimits: Partial<RateLimitSettings>) => {
    t.submission.config = { ...DEFAULT_REMOTE_CONFIG, rateLimits: { ...DEFAULT_RATE_LIMITS, ...rateLimits } };
  };
  const limit = (overrides: Partial<ClientRateLimit>): ClientRateLimit => ({
    requestsPerSecond: 1_000,
    requestBurst: 0,
    recipientsPerSecond: 100_000,
    recipientBurst: 0,
    ...overrides,
  });
  const post = (key: string, recipients = 1, remoteAddress = '127.0.0.1') =>
    t.app.inject({
      method: 'POST',
      url: '/v1/messages',
      headers: auth(key),
      remoteAddress,
      payload: smsBody({
        content: { body: 'hello' },
        recipients: phoneNumbers(recipients).map((to) => ({ to })),
      }),
    });
  const acceptedFor = (clientId: string) =>
    t.submission.accepted.filter((r) => r.clientId === clientId).length;

  it("limits a flooding client's requests while another client's keep being accepted", async () => {
    setLimits({ clients: { shop: limit({ requestsPerSecond: 2 }) } });
    const statuses = { shop: new Map<number, number>(), rider: new Map<number, number>() };
    for (let i = 0; i < 30; i++) {
      for (const [client, key] of [
        ['shop', CLIENT_KEY],
        ['rider', OTHER_CLIENT_KEY],
      ] as const) {
        const response = await post(key);
        statuses[client].set(response.statusCode, (statuses[client].get(response.statusCode) ?? 0) + 1);
        if (response.statusCode === 429) {
          assert.equal(response.json().error.code, 'HERALD_RATE_LIMITED');
          assert.match(
            response.json().error.message,
            /client shop is over its request rate limit \(2 calls\/s\); retry after 1 s/,
          );
          assert.ok(Number(response.headers['retry-after']) >= 1);
        }
      }
    }
    assert.deepEqual([...statuses.rider], [[202, 30]], 'the quiet client was never refused');
    assert.ok((statuses.shop.get(429) ?? 0) > 0, `the flooder was refused: ${[...statuses.shop]}`);
    assert.equal((statuses.shop.get(202) ?? 0) + (statuses.shop.get(429) ?? 0), 30);
    assert.equal(acceptedFor('shop'), statuses.shop.get(202), 'no refused request reached submitMessages');
    assert.equal(acceptedFor('rider'), 30);
  });

  it('counts every /v1 call, reads included', async () => {
    setLimits({ clients: { shop: limit({ requestsPerSecond: 1 }) } });
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      statuses.push(
        (await t.app.inject({ method: 'GET', url: '/v1/requests/nope', headers: auth() })).statusCode,
      );
    }
    assert.ok(statuses.includes(404) && statuses.includes(429), String(statuses));
  });

  it('limits recipients per second, counting each request by its recipients', async () => {
    setLimits({ clients: { shop: limit({ recipientsPerSecond: 150 }) } });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const response = await post(CLIENT_KEY, 100);
      statuses.push(response.statusCode);
      if (response.statusCode === 429) {
        assert.match(
          response.json().error.message,
          /over its recipient rate limit \(150 recipients\/s\); this request has 100; retry after \d+ s/,
        );
      }
    }
    assert.equal(statuses[0], 202);
    assert.ok(statuses.includes(429), String(statuses));
    assert.equal(acceptedFor('shop'), statuses.filter((s) => s === 202).length);
    assert.equal((await post(OTHER_CLIENT_KEY, 100)).statusCode, 202);
  });

  it('lets a client burst beyond its rate while the burst allowance lasts', async () => {
    setLimits({ clients: { shop: limit({ requestsPerSecond: 1, requestBurst: 1_000 }) } });
    for (let i = 0; i < 20; i++) assert.equal((await post(CLIENT_KEY)).statusCode, 202);
  });

  it('throttles failed authentication per address, before the key is looked up', async () => {
    setLimits({ failedAuth: { maxFailures: 3, windowSeconds: 60, blockSeconds: 120 } });
    const attacker = '192.0.2.66';
    for (let i = 0; i < 3; i++) assert.equal((await post(`hk_guess-${i}`, 1, attacker)).statusCode, 401);
    assert.equal((await post('hk_guess-3', 1, attacker)).statusCode, 401, 'the failure that goes over');
    const lookups = t.keyLookups.count;
    const blocked = await post('hk_guess-4', 1, attacker);
    assert.equal(blocked.statusCode, 429);
    assert.equal(blocked.json().error.code, 'HERALD_RATE_LIMITED');
    assert.match(
      blocked.json().error.message,
      /too many failed authentications from your address \(more than 3 in 60 s\)/,
    );
    assert.ok(Number(blocked.headers['retry-after']) > 60, 'refused for the block, not just the window');
    assert.equal((await post(CLIENT_KEY, 1, attacker)).statusCode, 429, 'even with a valid key');
    assert.equal(t.keyLookups.count, lookups, 'no key was looked up for a blocked address');
    const admin = await t.app.inject({ method: 'GET', url: '/admin/config', remoteAddress: attacker });
    assert.equal(admin.statusCode, 429, 'the admin API is behind the same throttle');
    assert.equal((await post(CLIENT_KEY, 1, '192.0.2.67')).statusCode, 202, 'another address is unaffected');
  });

  it('counts failures per client address behind a trusted load balancer (X-Forwarded-For)', async () => {
    const behindBalancer = await buildTestApp({ trustProxy: ['10.0.0.0/8'] });
    try {
      behindBalancer.submission.config = {
        ...DEFAULT_REMOTE_CONFIG,
        rateLimits: {
          ...DEFAULT_RATE_LIMITS,
          failedAuth: { maxFailures: 2, windowSeconds: 60, blockSeconds: 60 },
        },
      };
      const via = (client: string, key: string) =>
        behindBalancer.app.inject({
          method: 'GET',
          url: '/v1/requests/nope',
          headers: { ...auth(key), 'x-forwarded-for': client },
          remoteAddress: '10.1.2.3',
        });
      for (let i = 0; i < 3; i++) assert.equal((await via('198.51.100.9', `hk_guess-${i}`)).statusCode, 401);
      assert.equal(
        (await via('198.51.100.9', CLIENT_KEY)).statusCode,
        429,
        'the guessing client is throttled',
      );
      assert.equal(
        (await via('198.51.100.10', CLIENT_KEY)).statusCode,
        404,
        'not the others behind the balancer',
      );
    } finally {
      await behindBalancer.app.close();
    }
  });
});
