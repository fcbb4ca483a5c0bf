import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { adapterKey } from '../../src/config/vendor-definitions.ts';
import type { VendorSettings } from '../../src/core/domain/remote-config.ts';

const nhn: VendorSettings = {
  kind: 'nhn-sms',
  timeoutMs: 5_000,
  breakerThreshold: 5,
  breakerHalfOpenAfterMs: 10_000,
  endpoint: 'simulator',
};

describe('adapterKey', () => {
  it('ignores the settings the pipeline reads per call: time limit, breaker and rate', () => {
    const tuned: VendorSettings = {
      ...nhn,
      timeoutMs: 9_000,
      breakerThreshold: 9,
      breakerHalfOpenAfterMs: 20_000,
      maxPerSecond: 300,
    };
    assert.equal(adapterKey(tuned), adapterKey(nhn), 'a new rate keeps the adapter and its connections');
  });

  it('changes with what the adapter is built from', () => {
    assert.notEqual(adapterKey({ ...nhn, endpoint: 'https://sms.api.nhncloudservice.com' }), adapterKey(nhn));
  });
});
