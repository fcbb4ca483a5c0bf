import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_RATE_LIMITS } from '../../../src/config/default-remote-config.ts';
import { createAdmission, type LimitName } from '../../../src/core/admission/admission.ts';
import type { HeraldError } from '../../../src/core/domain/errors.ts';
import type { RateDecision, RateRule } from '../../../src/ports/rate-limiter.ts';

/** A limiter that records what it was asked and answers `decision`. */
function recordingLimiter(decision: RateDecision) {
  const asked: { rule: RateRule; key: string; points?: number }[] = [];
  return {
    asked,
    async consume(rule: RateRule, key: string, points: number) {
      asked.push({ rule, key, points });
      return decision;
    },
    async peek(rule: RateRule, key: string) {
      asked.push({ rule, key });
      return decision;
    },
  };
}

const settings = {
  ...DEFAULT_RATE_LIMITS,
  clients: {
    shop: { requestsPerSecond: 5, requestBurst: 0, recipientsPerSecond: 300, recipientBurst: 900 },
  },
};

describe('admission', () => {
  it("maps a client's own limits, or the default, to per-second rules with a 10 s burst", async () => {
    const limiter = recordingLimiter({ allowed: true });
    const admission = createAdmission({ limiter, rateLimits: () => settings });
    await admission.admitRequest('shop');
    await admission.admitRecipients('shop', 42);
    await admission.admitRequest('constructor');
    assert.deepEqual(limiter.asked, [
      { rule: { name: 'requests', points: 5, windowSeconds: 1 }, key: 'shop', points: 1 },
      {
        rule: {
          name: 'recipients',
          points: 300,
          windowSeconds: 1,
          burst: { points: 900, windowSeconds: 10 },
        },
        key: 'shop',
        points: 42,
      },
      {
        rule: { name: 'requests', points: 50, windowSeconds: 1, burst: { points: 100, windowSeconds: 10 } },
        key: 'constructor',
        points: 1,
      },
    ]);
  });

  it('refuses with HERALD_RATE_LIMITED, Retry-After in whole seconds rounded up, naming the limit', async () => {
    const limited: LimitName[] = [];
    const admission = createAdmission({
      limiter: recordingLimiter({ allowed: false, retryAfterMs: 1_200 }),
      rateLimits: () => settings,
      onLimited: (limit) => limited.push(limit),
    });
    await assert.rejects(admission.admitRecipients('shop', 100), (error: HeraldError) => {
      assert.equal(error.code, 'HERALD_RATE_LIMITED');
      assert.equal(error.httpStatus, 429);
      assert.equal(error.retryAfterMs, 1_200);
      assert.equal(
        error.message,
        'client shop is over its recipient rate limit (300 recipients/s plus 900 more per 10 s); ' +
          'this request has 100; retry after 2 s',
      );
      return true;
    });
    await assert.rejects(admission.checkAddress('192.0.2.1'), /more than 20 in 60 s\); retry after 2 s/);
    assert.deepEqual(limited, ['recipients', 'failed-auth']);
  });

  it('counts failed authentications per address under the failedAuth rule', async () => {
    const limiter = recordingLimiter({ allowed: true });
    await createAdmission({ limiter, rateLimits: () => settings }).authFailed('192.0.2.1');
    assert.deepEqual(limiter.asked, [
      {
        rule: { name: 'failed-auth', points: 20, windowSeconds: 60, blockSeconds: 300 },
        key: '192.0.2.1',
        points: 1,
      },
    ]);
  });
});
