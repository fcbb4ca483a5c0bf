import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http2';
import { describe, it } from 'node:test';
import { APNS_REASON_STATUS } from '../../../src/simulators/apns/apns-reasons.ts';
import {
  APNS_WIRE_CONTRACT,
  apnsReasonFor,
  renderApnsOutcome,
} from '../../../src/simulators/apns/apns-wire-contract.ts';
import type { H2Parsed, H2SendRequest } from '../../../src/simulators/h2-wire-contract.ts';
import { PushSimulation } from '../../../src/simulators/push-simulation.ts';
import { ERROR_CATALOGUES } from '../../../src/simulators/vendor-error-catalogue.ts';
import { parseP8Key } from '../../../src/vendors/apns/p8-key.ts';
import { ProviderTokenSigner } from '../../../src/vendors/apns/provider-token.ts';
import { apnsTestCredentials } from '../../vendors/apns/apns-test-kit.ts';

const MINUTE = 60_000;
const TOKEN = 'cd'.repeat(32);
const APNS_ID = '019a0000-0000-7000-8000-0000000000aa';

function setup() {
  const credentials = apnsTestCredentials(['com.example.shop']);
  const clock = { now: Date.parse('2026-12-01T12:00:00Z') };
  const push = new PushSimulation({ trust: { apns: { apns: credentials.trust } }, now: () => clock.now });
  // herald's own signer on the client side: both halves of the contract checked against each other.
  const signer = new ProviderTokenSigner({
    keyId: credentials.keyId,
    teamId: credentials.teamId,
    privateKey: parseP8Key(credentials.privateKeyPem, 'test'),
    renewAfterMs: 20 * MINUTE,
    now: () => clock.now,
  });
  let connection = new Map<string, unknown>();
  async function request(
    overrides: Partial<H2SendRequest> = {},
    headers: IncomingHttpHeaders = {},
  ): Promise<H2Parsed> {
    const sent: H2SendRequest = {
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
      ...overrides,
    };
    return APNS_WIRE_CONTRACT.parse(sent, { push, connection, nowMs: clock.now });
  }
  const newConnection = (): void => {
    connection = new Map();
  };
  return { clock, push, signer, request, newConnection };
}

async function reasonOf(parsed: Promise<H2Parsed>): Promise<[number, string]> {
  const result = await parsed;
  assert.equal(result.kind, 'answer', 'the request should have been refused');
  const { answer } = result as Extract<H2Parsed, { kind: 'answer' }>;
  return [answer.status, (answer.body as { reason: string }).reason];
}

async function sendOf(parsed: Promise<H2Parsed>): Promise<Extract<H2Parsed, { kind: 'send' }>> {
  const result = await parsed;
  assert.equal(result.kind, 'send', JSON.stringify(result));
  return result as Extract<H2Parsed, { kind: 'send' }>;
}

describe('APNs wire contract', () => {
  it('takes a valid request, counts it by its apns-id without an idempotency key, and answers 200 + apns-id', async () => {
    const { request, push } = setup();
    const parsed = await sendOf(request());
    assert.deepEqual(parsed.send, { messageId: APNS_ID, idempotencyKey: undefined });
    assert.deepEqual(parsed.render({ kind: 'accepted', vendorMessageId: 'other' }), {
      status: 200,
      headers: { 'apns-id': APNS_ID },
    });
    assert.equal(push.apns.tokensAccepted('apns'), 1);
  });

  it('makes up an apns-id when the request has none', async () => {
    const { request } = setup();
    const parsed = await sendOf(request({}, { 'apns-id': undefined }));
    assert.match(parsed.send.messageId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('refuses the provider token: missing, invalid, expired, or for a vendor without trust', async () => {
    const { request, signer, clock } = setup();
    assert.deepEqual(await reasonOf(request({}, { authorization: undefined })), [
      403,
      'MissingProviderToken',
    ]);
    assert.deepEqual(await reasonOf(request({}, { authorization: 'bearer x.y.z' })), [
      403,
      'InvalidProviderToken',
    ]);
    assert.deepEqual(await reasonOf(request({ vendorId: 'apns-b' })), [403, 'InvalidProviderToken']);
    const old = await signer.current();
    clock.now += 61 * MINUTE;
    assert.deepEqual(await reasonOf(request({}, { authorization: `bearer ${old}` })), [
      403,
      'ExpiredProviderToken',
    ]);
  });

  it('answers 429 TooManyProviderTokenUpdates to a token switch within 20 min on one connection', async () => {
    const { request, signer, clock, push, newConnection } = setup();
    await sendOf(request());
    clock.now += 5 * MINUTE;
    const early = await signer.renewAfterRejection(await signer.current());
    assert.deepEqual(await reasonOf(request({}, { authorization: `bearer ${early}` })), [
      429,
      'TooManyProviderTokenUpdates',
    ]);
    assert.equal(push.apns.tokensAccepted('apns'), 1);
    // On a fresh connection the new token is fine; after 20 min the first connection takes it too.
    newConnection();
    await sendOf(request());
    assert.equal(push.apns.tokensAccepted('apns'), 2);
  });

  it('refuses the request line, topic, token, headers and payload with Apple reasons', async () => {
    const { request } = setup();
    const cases: Array<[Promise<H2Parsed>, number, string]> = [
      [request({ method: 'PUT' }), 405, 'MethodNotAllowed'],
      [request({ path: '/3/devices/x' }), 404, 'BadPath'],
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
    const { request, push } = setup();
    const deadAt = Date.parse('2026-11-30T00:00:00Z');
    push.deadTokens.mark('apns', [TOKEN], deadAt);
    assert.deepEqual(await request(), {
      kind: 'answer',
      answer: {
        status: 410,
        headers: { 'apns-id': APNS_ID },
        body: { reason: 'Unregistered', timestamp: deadAt },
      },
    });
  });

  it('renders errors as {reason} with apns-id, and a rate limit as 429 TooManyRequests', () => {
    const at = Date.parse('2026-12-01T00:00:00Z');
    const failed = (status: number, code: string) =>
      renderApnsOutcome({ kind: 'failed', error: { status, code, weight: 1 } }, APNS_ID, at);
    assert.deepEqual(failed(503, 'UNAVAILABLE'), {
      status: 503,
      headers: { 'apns-id': APNS_ID },
      body: { reason: 'ServiceUnavailable' },
    });
    assert.deepEqual(failed(404, 'UNREGISTERED'), {
      status: 410,
      headers: { 'apns-id': APNS_ID },
      body: { reason: 'Unregistered', timestamp: at },
    });
    assert.deepEqual(renderApnsOutcome({ kind: 'rate-limited', retryAfterMs: 1_200 }, APNS_ID, at), {
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
