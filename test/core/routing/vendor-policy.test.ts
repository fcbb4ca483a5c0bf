import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HeraldError, isHeraldError } from '../../../src/core/domain/errors.ts';
import { VendorPolicy } from '../../../src/core/routing/vendor-policy.ts';

const settings = { timeoutMs: 5_000, breakerThreshold: 1, breakerHalfOpenAfterMs: 60_000 };
const never = () => new Promise<never>(() => {});
const noCaller = () => new AbortController().signal;

describe('VendorPolicy', () => {
  it('cuts a call off at its time limit: a retryable vendor timeout that counts against the vendor', async () => {
    const policy = new VendorPolicy(settings);
    let seen: AbortSignal | undefined;
    const error = await policy
      .execute(
        (signal) => {
          seen = signal;
          return never();
        },
        { timeoutMs: 20, signal: noCaller() },
      )
      .catch((e: unknown) => e);
    assert.ok(isHeraldError(error));
    assert.equal(error.code, 'HERALD_VENDOR_TIMEOUT');
    assert.equal(error.retryable, true);
    assert.equal(error.vendorFault, true);
    assert.equal(seen?.aborted, true, 'the adapter was told through its signal');
    assert.equal(policy.state, 'open', 'a threshold of 1 opened on the timeout');
  });

  it("aborts the vendor's signal when the caller's aborts, and does not blame the vendor", async () => {
    const policy = new VendorPolicy(settings);
    const caller = new AbortController();
    const shutdown = new HeraldError('HERALD_UNAVAILABLE', 'shutting down', { retryable: true });
    let seen: AbortSignal | undefined;
    const call = policy.execute(
      (signal) => {
        seen = signal;
        return never();
      },
      { timeoutMs: 60_000, signal: caller.signal },
    );
    assert.equal(seen?.aborted, false);
    caller.abort(shutdown);
    const error = await call.catch((e: unknown) => e);
    assert.equal(seen?.aborted, true, 'the signal the adapter holds derives from the caller');
    assert.equal(error, shutdown, "the caller's own reason comes back");
    assert.equal(policy.state, 'closed', 'a shutdown is not a vendor fault');
  });

  it("treats the adapter's own abort error during a shutdown as the caller's, not the vendor's", async () => {
    const policy = new VendorPolicy(settings);
    const caller = new AbortController();
    const call = policy.execute(
      (signal) =>
        new Promise<never>((_, reject) =>
          signal.addEventListener('abort', () => reject(new Error('socket closed'))),
        ),
      { timeoutMs: 60_000, signal: caller.signal },
    );
    caller.abort();
    const error = await call.catch((e: unknown) => e);
    assert.ok(isHeraldError(error) && !error.vendorFault);
    assert.equal(policy.state, 'closed');
  });

  it('settles at the limit even when the call ignores its signal', async () => {
    const policy = new VendorPolicy(settings);
    const error = await policy
      .execute(() => never(), { timeoutMs: 10, signal: noCaller() })
      .catch((e: unknown) => e);
    assert.ok(isHeraldError(error) && error.code === 'HERALD_VENDOR_TIMEOUT');
  });

  it('passes results through, and rejected recipients without counting them', async () => {
    const policy = new VendorPolicy(settings);
    assert.equal(await policy.execute(async () => 'ok', { timeoutMs: 1_000, signal: noCaller() }), 'ok');
    const rejected = new HeraldError('HERALD_RECIPIENT_INVALID', 'no such number');
    const error = await policy
      .execute(() => Promise.reject(rejected), { timeoutMs: 1_000, signal: noCaller() })
      .catch((e: unknown) => e);
    assert.equal(error, rejected);
    assert.equal(policy.state, 'closed');
  });
});
