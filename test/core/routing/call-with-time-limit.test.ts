import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isHeraldError } from '../../../src/core/domain/errors.ts';
import { callWithTimeLimit } from '../../../src/core/routing/call-with-time-limit.ts';

describe('callWithTimeLimit', () => {
  it('aborts the call and fails with a retryable vendor timeout', async () => {
    let seen: AbortSignal | undefined;
    const error = await callWithTimeLimit(20, (signal) => {
      seen = signal;
      return new Promise(() => {});
    }).catch((e: unknown) => e);
    assert.ok(isHeraldError(error));
    assert.equal(error.code, 'HERALD_VENDOR_TIMEOUT');
    assert.equal(error.retryable, true);
    assert.equal(error.vendorFault, true);
    assert.equal(seen?.aborted, true);
  });

  it('settles even when the call ignores its signal', async () => {
    const error = await callWithTimeLimit(10, () => new Promise(() => {})).catch((e: unknown) => e);
    assert.ok(isHeraldError(error) && error.code === 'HERALD_VENDOR_TIMEOUT');
  });

  it('passes results through', async () => {
    assert.equal(await callWithTimeLimit(1000, async () => 'ok'), 'ok');
  });
});
