import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { HeraldError } from '../../../src/core/domain/errors.ts';
import type { OutboundMessage } from '../../../src/core/domain/message.ts';
import type { ApnsReply } from '../../../src/vendors/apns/apns-response.ts';
import { type ApnsTransport, sendApnsPush } from '../../../src/vendors/apns/apns-sender.ts';
import { ProviderTokenSigner } from '../../../src/vendors/apns/provider-token.ts';

const MINUTE = 60_000;
const TOKEN = 'ef'.repeat(32);
const MESSAGE_ID = '019a0000-0000-7000-8000-0000000000bb';
const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });

const message: OutboundMessage = {
  messageId: MESSAGE_ID,
  idempotencyKey: 'k',
  channel: 'push',
  to: TOKEN,
  body: 'hello',
  attempt: 1,
  push: { provider: 'apns', app: 'com.example.shop', options: {}, expiresAt: Date.now() + 60_000 },
};

interface Seen {
  readonly path: string;
  readonly headers: Record<string, string>;
}

/** A pool stand-in answering from a script, recording what was sent. */
function scripted(answers: Array<ApnsReply | Error>): ApnsTransport & { seen: Seen[] } {
  const seen: Seen[] = [];
  return {
    seen,
    async request(call) {
      seen.push({ path: call.path, headers: call.headers });
      const next = answers.shift();
      if (next === undefined) throw new Error('no more answers scripted');
      if (next instanceof Error) throw next;
      return next;
    },
  };
}

function answer(status: number, reason?: string): ApnsReply {
  return {
    status,
    headers: status === 200 ? { 'apns-id': MESSAGE_ID } : {},
    body: reason === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify({ reason })),
  };
}

function setup(answers: Array<ApnsReply | Error>) {
  const clock = { now: Date.parse('2026-12-01T00:00:00Z') };
  const tokens = new ProviderTokenSigner({
    keyId: 'KEY1234567',
    teamId: 'TEAM123456',
    privateKey,
    now: () => clock.now,
  });
  const transport = scripted(answers);
  const context = {
    vendorId: 'apns',
    pathPrefix: '/apns',
    transport,
    tokens,
    defaultTopic: 'com.example.default',
  };
  return { clock, transport, context };
}

async function failure(promise: Promise<unknown>): Promise<HeraldError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof HeraldError, String(error));
    return error;
  }
  assert.fail('the send should have failed');
}

describe('sendApnsPush', () => {
  it('sends with the provider token under the path prefix and returns the apns-id', async () => {
    const { transport, context } = setup([answer(200)]);
    assert.deepEqual(await sendApnsPush(context, message, new AbortController().signal), {
      vendorMessageId: MESSAGE_ID,
    });
    const [sent] = transport.seen;
    assert.equal(sent!.path, `/apns/3/device/${TOKEN}`);
    assert.match(sent!.headers.authorization!, /^bearer ey/);
    assert.equal(sent!.headers['apns-id'], MESSAGE_ID);
  });

  it('renews the provider token once on 403 ExpiredProviderToken and sends again', async () => {
    const { transport, context, clock } = setup([answer(403, 'ExpiredProviderToken'), answer(200)]);
    await context.tokens.current();
    clock.now += 30 * MINUTE;
    assert.deepEqual(await sendApnsPush(context, message, new AbortController().signal), {
      vendorMessageId: MESSAGE_ID,
    });
    const [first, second] = transport.seen.map((seen) => seen.headers.authorization!.slice('bearer '.length));
    assert.notEqual(first, second);
    assert.equal(decodeJwt(second!).iat! - decodeJwt(first!).iat!, 30 * 60);
  });

  it('reports the vendor unhealthy when the renewed token is refused too, without a third try', async () => {
    const { transport, context } = setup([
      answer(403, 'InvalidProviderToken'),
      answer(403, 'InvalidProviderToken'),
    ]);
    const error = await failure(sendApnsPush(context, message, new AbortController().signal));
    assert.deepEqual(
      [error.code, error.retryable, error.vendorFault, error.vendorCode],
      ['HERALD_VENDOR_UNAVAILABLE', true, true, 'InvalidProviderToken'],
    );
    assert.equal(transport.seen.length, 2);
  });

  it('does not renew early twice within 20 min: the next refused send fails after one try', async () => {
    const { transport, context } = setup([
      answer(403, 'ExpiredProviderToken'),
      answer(200),
      answer(403, 'ExpiredProviderToken'),
    ]);
    await sendApnsPush(context, message, new AbortController().signal);
    const error = await failure(sendApnsPush(context, message, new AbortController().signal));
    assert.equal(error.vendorCode, 'ExpiredProviderToken');
    assert.equal(transport.seen.length, 3);
  });

  it('throws the mapped error: dead token, rejection, transport failure', async () => {
    const dead = setup([answer(410, 'Unregistered')]);
    assert.equal(
      (await failure(sendApnsPush(dead.context, message, new AbortController().signal))).code,
      'HERALD_TOKEN_INVALID',
    );
    const refused = setup([answer(400, 'TopicDisallowed')]);
    const rejection = await failure(sendApnsPush(refused.context, message, new AbortController().signal));
    assert.deepEqual([rejection.code, rejection.vendorCode], ['HERALD_VENDOR_REJECTED', 'TopicDisallowed']);
    const reset = setup([Object.assign(new Error('stream reset'), { code: 'ERR_HTTP2_STREAM_ERROR' })]);
    const transport = await failure(sendApnsPush(reset.context, message, new AbortController().signal));
    assert.deepEqual(
      [transport.code, transport.retryable, transport.vendorCode],
      ['HERALD_VENDOR_UNAVAILABLE', true, 'ERR_HTTP2_STREAM_ERROR'],
    );
  });

  it('refuses an unsendable message before any call, and sends nothing for validateOnly', async () => {
    const { transport, context } = setup([]);
    const big = { ...message, body: 'x'.repeat(5_000) };
    assert.equal(
      (await failure(sendApnsPush(context, big, new AbortController().signal))).vendorCode,
      'PayloadTooLarge',
    );
    const dryRun = { ...message, push: { ...message.push!, options: { validateOnly: true } } };
    assert.deepEqual(await sendApnsPush(context, dryRun, new AbortController().signal), {
      vendorMessageId: MESSAGE_ID,
    });
    assert.equal(transport.seen.length, 0);
  });
});
