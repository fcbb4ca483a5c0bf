import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FCM_WIRE_CONTRACT } from '../../../src/simulators/fcm/fcm-wire-contract.ts';
import type { H2Parsed } from '../../../src/simulators/h2-wire-contract.ts';
import { PushSimulation } from '../../../src/simulators/push-simulation.ts';
import type { HttpAnswer } from '../../../src/simulators/wire-contract.ts';
import { testServiceAccount } from '../../vendors/fcm/fcm-test-kit.ts';

const NOW = 1_800_000_000_000;
const service = testServiceAccount('demo-project');
const PATH = '/v1/projects/demo-project/messages:send';
const MESSAGE = { message: { token: 'abc:APA91b', data: { herald_message_id: 'm1' } } };

function setup(scopes = ['https://www.googleapis.com/auth/firebase.messaging']) {
  const push = new PushSimulation({ trust: { fcm: { fcm: service.trust } } });
  const token = push.accessTokens.issue(service.account.clientEmail, scopes, 3_599, NOW);
  return { push, token };
}

async function parse(
  push: PushSimulation,
  headers: Record<string, string>,
  path = PATH,
  body: unknown = MESSAGE,
) {
  return FCM_WIRE_CONTRACT.parse(
    { vendorId: 'fcm', method: 'POST', path, headers, body: Buffer.from(JSON.stringify(body)) },
    { push, connection: new Map(), nowMs: NOW },
  );
}

function answerOf(parsed: H2Parsed): HttpAnswer & { body: { error: Record<string, unknown> } } {
  assert.equal(parsed.kind, 'answer');
  return (parsed as { answer: HttpAnswer & { body: { error: Record<string, unknown> } } }).answer;
}

describe('FCM wire contract (simulator)', () => {
  it('hands a valid send to the behaviour and renders success as the message name', async () => {
    const { push, token } = setup();
    const parsed = await parse(push, { authorization: `Bearer ${token}` });
    assert.equal(parsed.kind, 'send');
    if (parsed.kind !== 'send') return;
    assert.deepEqual(parsed.send, { messageId: 'm1', idempotencyKey: undefined });
    assert.deepEqual(parsed.render({ kind: 'accepted', vendorMessageId: 'v1' }), {
      status: 200,
      body: { name: 'projects/demo-project/messages/v1' },
    });
  });

  it('answers 401 UNAUTHENTICATED for no token, an unknown one and a revoked one', async () => {
    const { push, token } = setup();
    assert.equal(answerOf(await parse(push, {})).status, 401);
    const unknown = answerOf(await parse(push, { authorization: 'Bearer ya29.nope' }));
    assert.equal(unknown.body.error.status, 'UNAUTHENTICATED');
    assert.equal(unknown.body.error.details, undefined, 'an auth error of the front end carries no FcmError');
    push.revokeAccessTokens('fcm');
    assert.equal(answerOf(await parse(push, { authorization: `Bearer ${token}` })).status, 401);
  });

  it('answers 403 PERMISSION_DENIED for another project or a token without a send scope', async () => {
    const { push, token } = setup();
    const other = answerOf(
      await parse(push, { authorization: `Bearer ${token}` }, '/v1/projects/other/messages:send'),
    );
    assert.equal(other.status, 403);
    assert.equal(other.body.error.status, 'PERMISSION_DENIED');
    const narrow = setup(['https://www.googleapis.com/auth/userinfo.email']);
    const unscoped = answerOf(await parse(narrow.push, { authorization: `Bearer ${narrow.token}` }));
    assert.equal(unscoped.body.error.message, 'Request had insufficient authentication scopes.');
  });

  it('answers 404 for another path and UNREGISTERED for a dead token', async () => {
    const { push, token } = setup();
    assert.equal(
      answerOf(await parse(push, { authorization: `Bearer ${token}` }, '/v1/projects/demo-project/messages'))
        .status,
      404,
    );
    push.deadTokens.mark('fcm', ['abc:APA91b']);
    const dead = answerOf(await parse(push, { authorization: `Bearer ${token}` }));
    assert.equal(dead.status, 404);
    assert.deepEqual(dead.body.error.details, [
      { '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: 'UNREGISTERED' },
    ]);
  });

  it('answers a dry run at once with the fake message id', async () => {
    const { push, token } = setup();
    const dry = answerOf(
      await parse(push, { authorization: `Bearer ${token}` }, PATH, { ...MESSAGE, validate_only: true }),
    );
    assert.deepEqual(dry as unknown, {
      status: 200,
      body: { name: 'projects/demo-project/messages/fake_message_id' },
    });
  });

  it('renders errors and throttling as FCM does', async () => {
    const { push, token } = setup();
    const parsed = await parse(push, { authorization: `Bearer ${token}` });
    if (parsed.kind !== 'send') return assert.fail('expected a send');
    const quota = parsed.render({ kind: 'rate-limited', retryAfterMs: 1_200 }) as HttpAnswer & {
      body: { error: { status: string; details: { errorCode?: string; '@type': string }[] } };
    };
    assert.equal(quota.status, 429);
    assert.deepEqual(quota.headers, { 'retry-after': '2' });
    assert.equal(quota.body.error.status, 'RESOURCE_EXHAUSTED');
    assert.equal(quota.body.error.details[0]!.errorCode, 'QUOTA_EXCEEDED');
    assert.equal(quota.body.error.details[1]!['@type'], 'type.googleapis.com/google.rpc.QuotaFailure');
    const unavailable = parsed.render({
      kind: 'failed',
      error: { status: 503, code: 'UNAVAILABLE', weight: 1 },
    });
    assert.deepEqual(unavailable.body, {
      error: {
        code: 503,
        message: 'The service is currently unavailable.',
        status: 'UNAVAILABLE',
        details: [
          { '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: 'UNAVAILABLE' },
        ],
      },
    });
    const generic = parsed.render({
      kind: 'failed',
      error: { status: 500, code: 'SERVER_ERROR', weight: 1 },
    }) as HttpAnswer & {
      body: { error: { details: { errorCode: string }[] } };
    };
    assert.equal(
      generic.body.error.details[0]!.errorCode,
      'INTERNAL',
      "a generic code is rendered as FCM's for its status",
    );
  });
});
