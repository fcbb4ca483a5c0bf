import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GENERIC_WIRE_CONTRACT } from '../../src/simulators/generic-wire-contract.ts';

function parse(body: unknown, headers: Record<string, string> = {}) {
  const raw = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return GENERIC_WIRE_CONTRACT.parseSend(raw, headers);
}

const VALID = { messageId: 'm1', channel: 'sms', to: '01012345678', body: 'hello' };

describe('GENERIC_WIRE_CONTRACT.parseSend', () => {
  it('reads the message id and the Idempotency-Key', () => {
    assert.deepEqual(parse(VALID, { 'idempotency-key': 'k1' }), {
      ok: true,
      send: { messageId: 'm1', idempotencyKey: 'k1' },
    });
  });

  it('treats an empty Idempotency-Key as none', () => {
    assert.deepEqual(parse(VALID, { 'idempotency-key': '' }), {
      ok: true,
      send: { messageId: 'm1', idempotencyKey: undefined },
    });
  });

  it('accepts a subject and a template', () => {
    const parsed = parse({ ...VALID, subject: 's', template: { code: 'T1', vars: { name: 'x' } } });
    assert.equal(parsed.ok, true);
  });

  it('answers 400 BAD_REQUEST naming every missing field', () => {
    const parsed = parse({ channel: 'sms', template: { code: 'T1' } });
    assert.equal(parsed.ok, false);
    assert.equal(parsed.answer.status, 400);
    const body = parsed.answer.body as { code: string; message: string };
    assert.equal(body.code, 'BAD_REQUEST');
    for (const field of ['messageId', 'to', 'body', 'template'])
      assert.match(body.message, new RegExp(field));
    assert.doesNotMatch(body.message, /channel/);
  });

  it('answers 400 BAD_REQUEST for a body that is not JSON or not an object', () => {
    for (const body of ['{nope', '[1]', 'null']) {
      const parsed = parse(body);
      assert.equal(parsed.ok, false);
      assert.deepEqual((parsed.answer.body as { code: string }).code, 'BAD_REQUEST');
    }
  });
});

describe('GENERIC_WIRE_CONTRACT.renderOutcome', () => {
  it('renders success, a vendor error and a rate limit', () => {
    assert.deepEqual(GENERIC_WIRE_CONTRACT.renderOutcome({ kind: 'accepted', vendorMessageId: 'v1' }), {
      status: 200,
      body: { vendorMessageId: 'v1', status: 'accepted' },
    });
    const failed = GENERIC_WIRE_CONTRACT.renderOutcome({
      kind: 'failed',
      error: { status: 404, code: 'UNREGISTERED', weight: 1 },
    });
    assert.equal(failed.status, 404);
    assert.equal((failed.body as { code: string }).code, 'UNREGISTERED');
    const limited = GENERIC_WIRE_CONTRACT.renderOutcome({ kind: 'rate-limited', retryAfterMs: 1_200 });
    assert.equal(limited.status, 429);
    assert.deepEqual(limited.headers, { 'retry-after': '2' });
  });

  it('never asks to retry after less than one second', () => {
    const limited = GENERIC_WIRE_CONTRACT.renderOutcome({ kind: 'rate-limited', retryAfterMs: 3 });
    assert.deepEqual(limited.headers, { 'retry-after': '1' });
  });
});
