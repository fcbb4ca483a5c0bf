import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HeraldError } from '../../src/core/domain/errors.ts';
import { mapTransportError } from '../../src/vendors/map-transport-error.ts';

const live = new AbortController().signal;

function socketError(code: string): Error {
  return Object.assign(new Error(`socket said ${code}`), { code });
}

describe('mapTransportError', () => {
  it('maps a time limit to a retryable timeout that is the vendor fault', () => {
    const signal = AbortSignal.abort(new DOMException('late', 'TimeoutError'));
    const error = mapTransportError('v', new Error('aborted'), signal);
    assert.equal(error.code, 'HERALD_VENDOR_TIMEOUT');
    assert.equal(error.retryable, true);
    assert.equal(error.vendorFault, true);
  });

  it('maps any other abort (shutdown) to a retryable unavailability that is not the vendor fault', () => {
    const error = mapTransportError('v', new Error('aborted'), AbortSignal.abort(new Error('shutting down')));
    assert.equal(error.code, 'HERALD_VENDOR_UNAVAILABLE');
    assert.equal(error.retryable, true);
    assert.equal(error.vendorFault, false);
    assert.equal(error.vendorCode, 'ABORTED');
  });

  it('maps refused and reset connections to a retryable vendor fault with the socket code', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'UND_ERR_SOCKET']) {
      const error = mapTransportError('v', socketError(code), live);
      assert.equal(error.code, 'HERALD_VENDOR_UNAVAILABLE');
      assert.equal(error.vendorFault, true);
      assert.equal(error.vendorCode, code);
    }
  });

  it('finds the code on the cause, as fetch wraps socket errors', () => {
    const wrapped = new TypeError('fetch failed', { cause: socketError('ECONNREFUSED') });
    assert.equal(mapTransportError('v', wrapped, live).vendorCode, 'ECONNREFUSED');
  });

  it('does not blame the vendor for a call on a closed pool', () => {
    const error = mapTransportError('v', socketError('UND_ERR_CLOSED'), live);
    assert.equal(error.vendorFault, false);
    assert.equal(error.retryable, true);
  });

  it("uses the caller's own HeraldError when that is the abort reason", () => {
    const limit = new HeraldError('HERALD_VENDOR_TIMEOUT', 'no answer within 5000 ms', { retryable: true });
    assert.equal(mapTransportError('v', new Error('aborted'), AbortSignal.abort(limit)), limit);
  });

  it('passes a HeraldError through unchanged', () => {
    const original = new HeraldError('HERALD_VENDOR_REJECTED', 'no');
    assert.equal(mapTransportError('v', original, live), original);
  });
});
