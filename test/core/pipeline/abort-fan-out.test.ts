import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { describe, it } from 'node:test';
import { whenAborted, withChildSignal } from '../../../src/core/pipeline/abort-fan-out.ts';
import { ConcurrencyLimit } from '../../../src/core/pipeline/concurrency-limit.ts';

describe('abort fan-out', () => {
  it('puts one listener on the parent however many calls listen, and aborts each child with its reason', async () => {
    const lane = new AbortController();
    const release = Promise.withResolvers<void>();
    const seen: unknown[] = [];
    const calls = Array.from({ length: 1_000 }, () =>
      withChildSignal(lane.signal, async (signal) => {
        await new Promise<void>((resolve) => {
          signal.addEventListener('abort', () => resolve(), { once: true });
          void release.promise.then(resolve);
        });
        seen.push(signal.reason);
      }),
    );
    assert.equal(getEventListeners(lane.signal, 'abort').length, 1);
    const reason = new Error('shutting down');
    lane.abort(reason);
    await Promise.all(calls);
    assert.equal(seen.length, 1_000);
    assert.ok(seen.every((r) => r === reason));
  });

  it('forgets a call once it returned: a later abort does not reach it', async () => {
    const lane = new AbortController();
    let child: AbortSignal | undefined;
    await withChildSignal(lane.signal, async (signal) => {
      child = signal;
    });
    lane.abort();
    assert.equal(child?.aborted, false);
  });

  it('calls a subscriber at once when the signal has already aborted, and never after unsubscribing', () => {
    const done = new AbortController();
    done.abort();
    let early = 0;
    whenAborted(done.signal, () => early++);
    assert.equal(early, 1);

    const later = new AbortController();
    let calls = 0;
    const unsubscribe = whenAborted(later.signal, () => calls++);
    unsubscribe();
    later.abort();
    assert.equal(calls, 0);
  });

  it('lets thousands of tasks wait in a concurrency limit on one listener, and drops them all on abort', async () => {
    const lane = new AbortController();
    const limit = new ConcurrencyLimit(1);
    const gate = Promise.withResolvers<void>();
    const running = limit.run(() => gate.promise, lane.signal);
    const waiting = Array.from({ length: 2_000 }, () => limit.run(async () => 'ran', lane.signal));
    assert.equal(limit.queued, 2_000);
    assert.ok(getEventListeners(lane.signal, 'abort').length <= 1);
    lane.abort();
    const settled = await Promise.allSettled(waiting);
    assert.ok(settled.every((s) => s.status === 'rejected'));
    assert.equal(limit.queued, 0);
    gate.resolve();
    await running;
  });
});
