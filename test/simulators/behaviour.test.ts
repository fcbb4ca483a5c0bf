import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyBehaviourPatch, BehaviourError, defaultBehaviourFor } from '../../src/simulators/behaviour.ts';
import { TEXT_ERROR_CATALOGUES } from '../../src/simulators/text/text-error-catalogues.ts';
import { ERROR_CATALOGUES } from '../../src/simulators/vendor-error-catalogue.ts';

function violationsOf(patch: unknown): readonly string[] {
  try {
    applyBehaviourPatch('sim-sms-a', defaultBehaviourFor('sim-sms-a'), patch);
  } catch (error) {
    assert.ok(error instanceof BehaviourError);
    return error.violations;
  }
  assert.fail('the patch was accepted');
}

describe('defaultBehaviourFor', () => {
  it('answers at once, never fails, and honours idempotency keys', () => {
    const behaviour = defaultBehaviourFor('fcm');
    assert.deepEqual(behaviour.latency, { medianMs: 0, p99Ms: 0, outlierShare: 0, outlierMs: 5_000 });
    assert.equal(behaviour.errorShare, 0);
    assert.equal(behaviour.hangShare, 0);
    assert.equal(behaviour.rateLimitPerSecond, null);
    assert.equal(behaviour.honoursIdempotencyKey, true);
  });

  it("picks the error catalogue of the vendor's kind", () => {
    assert.equal(defaultBehaviourFor('fcm').errors, ERROR_CATALOGUES.push);
    // The Korean text vendors fail in their own codes (each contract's catalogue).
    assert.equal(defaultBehaviourFor('sens-sms').errors, TEXT_ERROR_CATALOGUES['sens-sms']);
    assert.equal(defaultBehaviourFor('solapi-alimtalk').errors, TEXT_ERROR_CATALOGUES['solapi-alimtalk']);
    assert.equal(defaultBehaviourFor('sim-email').errors, ERROR_CATALOGUES.email);
    assert.equal(defaultBehaviourFor('solapi-vms').errors, TEXT_ERROR_CATALOGUES['solapi-vms']);
    assert.equal(defaultBehaviourFor('some-other-vendor').errors, ERROR_CATALOGUES.generic);
  });

  it('ships catalogues that pass its own validation', () => {
    for (const [kind, errors] of [
      ...Object.entries(ERROR_CATALOGUES),
      ...Object.entries(TEXT_ERROR_CATALOGUES),
    ]) {
      assert.doesNotThrow(() =>
        applyBehaviourPatch(kind, defaultBehaviourFor(kind), { errorShare: 1, errors }),
      );
    }
  });
});

describe('applyBehaviourPatch', () => {
  it('merges latency field by field and keeps the rest', () => {
    const base = applyBehaviourPatch('v', defaultBehaviourFor('v'), { latency: { medianMs: 20, p99Ms: 80 } });
    const patched = applyBehaviourPatch('v', base, { latency: { outlierShare: 0.01 }, hangShare: 0.5 });
    assert.deepEqual(patched.latency, { medianMs: 20, p99Ms: 80, outlierShare: 0.01, outlierMs: 5_000 });
    assert.equal(patched.hangShare, 0.5);
    assert.deepEqual(patched.errors, base.errors);
  });

  it('returns a frozen behaviour', () => {
    const behaviour = applyBehaviourPatch('v', defaultBehaviourFor('v'), { errorShare: 0.1 });
    assert.ok(Object.isFrozen(behaviour));
    assert.ok(Object.isFrozen(behaviour.latency));
    assert.ok(Object.isFrozen(behaviour.errors));
  });

  it('lists every violation, not just the first', () => {
    const violations = violationsOf({ errorShare: 2, latency: { p99Ms: -1, bogus: 1 }, hangshare: 0.1 });
    assert.deepEqual([...violations].sort(), [
      'errorShare must be a number in 0..1',
      'hangshare is not a behaviour field',
      'latency.bogus is not a behaviour field',
      'latency.p99Ms must be a number >= 0',
      'latency.p99Ms must not be below latency.medianMs',
    ]);
  });

  it('rejects shares that add up to more than 1', () => {
    assert.deepEqual(violationsOf({ errorShare: 0.6, hangShare: 0.5 }), [
      'errorShare + hangShare must not exceed 1',
    ]);
  });

  it('rejects 429 among the errors, an empty error list while failing, and a bad rate limit', () => {
    assert.match(
      violationsOf({ errors: [{ status: 429, code: 'X', weight: 1 }] })[0]!,
      /errors\[0\]\.status/,
    );
    assert.deepEqual(violationsOf({ errorShare: 0.5, errors: [] }), [
      'errors must not be empty while errorShare > 0',
    ]);
    assert.deepEqual(violationsOf({ rateLimitPerSecond: 0 }), [
      'rateLimitPerSecond must be a positive number or null',
    ]);
    assert.deepEqual(violationsOf({ honoursIdempotencyKey: 'yes' }), [
      'honoursIdempotencyKey must be a boolean',
    ]);
  });

  it('rejects a patch that is not an object', () => {
    assert.deepEqual(violationsOf([1]), ['the patch must be a JSON object']);
    assert.deepEqual(violationsOf({ latency: null }), ['latency must be an object']);
  });

  it('lets a rate limit be removed with null', () => {
    const limited = applyBehaviourPatch('v', defaultBehaviourFor('v'), { rateLimitPerSecond: 10 });
    assert.equal(applyBehaviourPatch('v', limited, { rateLimitPerSecond: null }).rateLimitPerSecond, null);
  });
});
