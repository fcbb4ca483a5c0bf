import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http2';
import { describe, it } from 'node:test';
import { APNS_REASON_STATUS } from '../../../src/simulators/apns/apns-reasons.ts';
import {
  type ApnsSendRequest,
  ApnsWireContract,
  apnsReasonFor,
} from '../../../src/simulators/apns/apns-wire-contract.ts';
import { ConnectionTokenState } from '../../../src/simulators/apns/connection-token-state.ts';
import { ERROR_CATALOGUES } from '../../../src/simulators/vendor-error-catalogue.ts';
import { ProviderTokenSigner } from '../../../src/vendors/apns/provider-token.ts';

const MINUTE = 60_000;
const TOKEN = 'cd'.repeat(32);
const APNS_ID = '019a0000-0000-7000-8000-0000000000aa';
const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const publicKeyPem = keys.publicKey.export({ format: 'pem', type: 'spki' }) as string;

function setup(deadSince?: (vendorId: string, token: string) => number | undefined) {
  const clock = { now: Date.parse('2026-12-01T12:00:00Z') };
  const contract = new ApnsWireContract({
    trust: {
      apns: { teamId: 'TEAM123456', keyId: 'KEY1234567', publicKeyPem, topics: ['com.example.shop'] },
    },
    deadSince,
    now: () => clock.now,
  });
  // herald's own signer on the client side: both halves of the contract checked against each other.
  const signer = new ProviderTokenSigner({
    keyId: 'KEY1234567',
    teamId: 'TEAM123456',
    privateKey: keys.privateKey,
    renewAfterMs: 20 * MINUTE,
    now: () => clock.now,
  });
  const connection = new ConnectionTokenState();
  async function request(overrides: Partial<ApnsSendRequest> = {}, headers: IncomingHttpHeaders = {}) {
    return contract.parseSend({
      vendorId: 'apns',
      method: 'POST',
      path: `/3/device/${TOKEN}`,
      headers: {
        authorization: `bearer ${await signer.current()}`,
        'apns-topic': 'com.example.shop',
        'apns-push-type': 'alert',
        'apns-id': APNS_ID,
        ...headers,
      },
      body: Buffer.from(JSON.stringify({ aps: { alert: { title: 'Hi', body: 'there' } } })),
      connection,
      ...overrides,
    });
  }
  return { clock, contract, signer, request };
}

async function reasonOf(parsed: Promise<Awaited<ReturnType<ApnsWireContract['parseSend']>>>) {
  const result = await parsed;
  assert.ok(!result.ok, 'the request should have been refused');
  return [result.answer.status, (result.answer.body as { reason: string }).reason];
}

describe('ApnsWireContract', () => {
  it('takes a valid request and counts it by its apns-id, without an idempotency key', async () => {
    const { request } = setup();
    assert.deepEqual(await request(), {
      ok: true,
      send: { messageId: APNS_ID, idempotencyKey: undefined },
      apnsId: APNS_ID,
    });
  });

  it('makes up an apns-id when the request has none', async () => {
    const { request } = setup();
    const parsed = await request({}, { 'apns-id': undefined });
    assert.ok(parsed.ok);
    assert.match(parsed.apnsId, /^[0-9a-f-]{36}$/);
    assert.equal(parsed.send.messageId, parsed.apnsId);
  });

  it('refuses the provider token: missing, invalid, expired, or for a vendor without trust', async () => {
    const { request } = setup();
    assert.deepEqual(await reasonOf(request({}, { authorization: undefined })), [
      403,
      'MissingProviderToken',
    ]);
    assert.deepEqual(await reasonOf(request({}, { authorization: 'bearer x.y.z' })), [
      403,
      'InvalidProviderToken',
    ]);
    assert.deepEqual(await reasonOf(request({ vendorId: 'apns-b' })), [403, 'InvalidProviderToken']);
    const { request: second, signer, clock } = setup();
    const old = await signer.current();
    clock.now += 61 * MINUTE;
    assert.deepEqual(await reasonOf(second({}, { authorization: `bearer ${old}` })), [
      403,
      'ExpiredProviderToken',
    ]);
  });

  it('answers 429 TooManyProviderTokenUpdates to a token switch within 20 min on one connection', async () => {
    const { request, signer, clock } = setup();
    assert.equal((await request()).ok, true);
    clock.now += 5 * MINUTE;
    const early = await signer.renewAfterRejection(await signer.current());
    assert.deepEqual(await reasonOf(request({}, { authorization: `bearer ${early}` })), [
      429,
      'TooManyProviderTokenUpdates',
    ]);
    // On a fresh connection the same token is fine; after 20 min the first connection takes it too.
    assert.equal((await request({ connection: new ConnectionTokenState() })).ok, true);
    clock.now += 15 * MINUTE;
    assert.equal((await request()).ok, true);
  });

  it('refuses the request line, topic, token, headers and payload with Apple reasons', async () => {
    const { request } = setup();
    const cases: Array<[Promise<Awaited<ReturnType<ApnsWireContract['parseSend']>>>, number, string]> = [
      [request({ method: 'PUT' }), 405, 'MethodNotAllowed'],
      [request({ path: '/3/devices/x' }), 404, 'BadPath'],
      [request({ rawHeaderNames: ['apns-id', 'apns-id'] }), 400, 'DuplicateHeaders'],
      [request({}, { 'apns-topic': undefined }), 400, 'MissingTopic'],
      [request({}, { 'apns-topic': 'com.other.app' }), 400, 'TopicDisallowed'],
      [request({ path: '/3/device/1234' }), 400, 'BadDeviceToken'],
      [request({}, { 'apns-id': 'x' }), 400, 'BadMessageId'],
      [request({}, { 'apns-priority': '3' }), 400, 'BadPriority'],
      [request({ body: Buffer.alloc(0) }), 400, 'PayloadEmpty'],
      [
        request({ body: Buffer.from(JSON.stringify({ aps: { alert: 'x'.repeat(5_000) } })) }),
        413,
        'PayloadTooLarge',
      ],
    ];
    for (const [parsed, status, reason] of cases) assert.deepEqual(await reasonOf(parsed), [status, reason]);
  });

  it('answers 410 Unregistered with the time the token died for a token marked dead', async () => {
    const deadAt = Date.parse('2026-11-30T00:00:00Z');
    const { request } = setup((vendorId, token) =>
      vendorId === 'apns' && token === TOKEN ? deadAt : undefined,
    );
    const parsed = await request();
    assert.ok(!parsed.ok);
    assert.deepEqual(parsed.answer, {
      status: 410,
      headers: { 'apns-id': APNS_ID },
      body: { reason: 'Unregistered', timestamp: deadAt },
    });
  });

  it('renders outcomes: 200 with apns-id and no body, errors as {reason}, rate limits as 429 TooManyRequests', () => {
    const { contract, clock } = setup();
    assert.deepEqual(contract.renderOutcome({ kind: 'accepted', vendorMessageId: 'ignored' }, APNS_ID), {
      status: 200,
      headers: { 'apns-id': APNS_ID },
    });
    assert.deepEqual(
      contract.renderOutcome(
        { kind: 'failed', error: { status: 503, code: 'UNAVAILABLE', weight: 1 } },
        APNS_ID,
      ),
      {
        status: 503,
        headers: { 'apns-id': APNS_ID },
        body: { reason: 'ServiceUnavailable' },
      },
    );
    assert.deepEqual(
      contract.renderOutcome(
        { kind: 'failed', error: { status: 404, code: 'UNREGISTERED', weight: 1 } },
        APNS_ID,
      ),
      {
        status: 410,
        headers: { 'apns-id': APNS_ID },
        body: { reason: 'Unregistered', timestamp: clock.now },
      },
    );
    assert.deepEqual(contract.renderOutcome({ kind: 'rate-limited', retryAfterMs: 1_200 }, APNS_ID), {
      status: 429,
      headers: { 'retry-after': '2', 'apns-id': APNS_ID },
      body: { reason: 'TooManyRequests' },
    });
  });

  it('maps every push catalogue error to an APNs reason, and takes an APNs reason as it is', () => {
    assert.deepEqual(
      ERROR_CATALOGUES.push.map((error) => apnsReasonFor(error)),
      ['ServiceUnavailable', 'InternalServerError', 'Unregistered', 'BadDeviceToken'],
    );
    assert.equal(apnsReasonFor({ status: 400, code: 'TopicDisallowed', weight: 1 }), 'TopicDisallowed');
    assert.equal(apnsReasonFor({ status: 502, code: 'GATEWAY', weight: 1 }), 'ServiceUnavailable');
    assert.equal(apnsReasonFor({ status: 500, code: 'OOPS', weight: 1 }), 'InternalServerError');
    assert.equal(apnsReasonFor({ status: 403, code: 'NOPE', weight: 1 }), 'Forbidden');
    assert.equal(Object.keys(APNS_REASON_STATUS).length, 32);
  });
});
