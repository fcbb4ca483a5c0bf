import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findRemoteConfigViolations } from '../../src/api/remote-config-rules.ts';
import { DEFAULT_REMOTE_CONFIG } from '../../src/config/default-remote-config.ts';
import type { RemoteConfigDocument } from '../../src/core/domain/remote-config.ts';

const base = DEFAULT_REMOTE_CONFIG;

describe('findRemoteConfigViolations', () => {
  it('finds nothing wrong with the default config', () => {
    assert.deepEqual(findRemoteConfigViolations(base), []);
  });

  it('allows a channel whose vendors all weigh 0 (the channel kill switch)', () => {
    const document: RemoteConfigDocument = {
      ...base,
      routing: { ...base.routing, email: [{ vendor: 'sim-email', weight: 0 }] },
    };
    assert.deepEqual(findRemoteConfigViolations(document), []);
  });

  it('lists every violation at once', () => {
    const document: RemoteConfigDocument = {
      ...base,
      routing: {
        ...base.routing,
        push: [],
        sms: [
          { vendor: 'sim-sms-a', weight: 1 },
          { vendor: 'sim-sms-a', weight: -2 },
        ],
      },
      vendors: { ...base.vendors, 'sim-fcm': { ...base.vendors['sim-fcm']!, timeoutMs: 60_000 } },
      lanes: { ...base.lanes, batch: { ...base.lanes.batch, maxInFlight: 10, batchSize: 100 } },
      retry: { baseDelayMs: 10_000, maxDelayMs: 1_000, maxAttempts: 3 },
    };
    const violations = findRemoteConfigViolations(document);
    const expected = [
      /^routing\.push has no vendor/,
      /^routing\.sms\[1\]: vendor "sim-sms-a" is listed twice/,
      /^routing\.sms\[1\]\.weight must be a number >= 0/,
      /^vendors\.sim-fcm\.timeoutMs \(60000\) must be below dedup\.reserveTtlMs/,
      /^lanes\.batch\.maxInFlight must be >= batchSize/,
      /^retry\.baseDelayMs must not exceed/,
    ];
    assert.equal(violations.length, expected.length, violations.join('\n'));
    for (const pattern of expected) {
      assert.ok(
        violations.some((v) => pattern.test(v)),
        pattern.source,
      );
    }
  });
});
