import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HeraldError } from '../../../src/core/domain/errors.ts';
import type { Envelope } from '../../../src/core/domain/message.ts';
import { decodeEnvelope } from '../../../src/core/pipeline/envelope-codec.ts';
import { planAfterFailure } from '../../../src/core/pipeline/retry-plan.ts';

const retry = { baseDelayMs: 1000, maxDelayMs: 60_000, maxAttempts: 3 };
const now = 1_000_000;

function envelope(overrides: Partial<Envelope> = {}): Envelope {
  return {
    messageId: 'm1',
    requestId: 'r1',
    clientId: 'c1',
    key: 'k1',
    channel: 'sms',
    lane: 'batch',
    to: '01012345678',
    content: { body: 'hi' },
    attempt: 1,
    expiresAt: now + 3_600_000,
    createdAt: now,
    ...overrides,
  };
}

function failure(error: HeraldError, vendor = 'sim-sms-a') {
  return { kind: 'failed' as const, vendor, latencyMs: 5, error };
}

const retryable = new HeraldError('HERALD_VENDOR_UNAVAILABLE', '500', { retryable: true, vendorFault: true });

describe('planAfterFailure', () => {
  it('sends a retryable failure to the lane retry topic with attempt, next time and failed vendor', () => {
    const plan = planAfterFailure(envelope(), failure(retryable), retry, now, () => 0);
    assert.equal(plan.kind, 'retry');
    if (plan.kind !== 'retry') return;
    assert.equal(plan.record.topic, 'herald.batch.retry');
    assert.equal(plan.record.key, 'k1');
    const next = decodeEnvelope(plan.record.value)!;
    assert.equal(next.attempt, 2);
    assert.equal(next.notBefore, now + 500);
    assert.equal(next.expiresAt, now + 3_600_000);
    assert.deepEqual(next.failedVendors, ['sim-sms-a']);
  });

  it('ends a non-retryable failure as failed with its code', () => {
    const invalid = new HeraldError('HERALD_RECIPIENT_INVALID', 'unregistered', {
      vendorCode: 'UNREGISTERED',
    });
    assert.deepEqual(planAfterFailure(envelope(), failure(invalid), retry, now), {
      kind: 'final',
      status: 'failed',
      errorCode: 'HERALD_RECIPIENT_INVALID',
    });
  });

  it('never retries a dead device token, even when the error says it may be retried', () => {
    const dead = new HeraldError('HERALD_TOKEN_INVALID', 'the token is no longer registered', {
      retryable: true,
      vendorCode: 'UNREGISTERED',
    });
    const push = envelope({ channel: 'push', to: 'fcm-token:APA91b' });
    assert.deepEqual(planAfterFailure(push, failure(dead, 'fcm'), retry, now), {
      kind: 'final',
      status: 'failed',
      errorCode: 'HERALD_TOKEN_INVALID',
    });
  });

  it('ends as failed after the last allowed attempt', () => {
    const plan = planAfterFailure(envelope({ attempt: 3 }), failure(retryable), retry, now);
    assert.equal(plan.kind === 'final' && plan.status, 'failed');
  });

  it('ends as expired when the next attempt would come after the expiry', () => {
    const plan = planAfterFailure(
      envelope({ expiresAt: now + 100 }),
      failure(retryable),
      retry,
      now,
      () => 0,
    );
    assert.deepEqual(plan, { kind: 'final', status: 'expired', errorCode: 'HERALD_EXPIRED' });
  });
});

describe('decodeEnvelope', () => {
  it('recognises poison records', () => {
    assert.equal(decodeEnvelope('not json'), undefined);
    assert.equal(decodeEnvelope('{"messageId":1}'), undefined);
    assert.equal(decodeEnvelope(JSON.stringify({ ...envelope(), channel: 'fax' })), undefined);
    assert.deepEqual(decodeEnvelope(JSON.stringify(envelope())), envelope());
  });
});
