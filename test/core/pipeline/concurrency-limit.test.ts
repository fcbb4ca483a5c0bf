import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConcurrencyLimit } from '../../../src/core/pipeline/concurrency-limit.ts';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('ConcurrencyLimit', () => {
  it('never runs more than the limit at once', async () => {
    const limit = new ConcurrencyLimit(3);
    let running = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        limit.run(async () => {
          running++;
          peak = Math.max(peak, running);
          await new Promise((r) => setImmediate(r));
          running--;
        }),
      ),
    );
    assert.equal(peak, 3);
  });

  it('admits waiting work when the limit is raised live', async () => {
    const limit = new ConcurrencyLimit(1);
    const gate = deferred();
    const first = limit.run(() => gate.promise);
    let secondStarted = false;
    const second = limit.run(async () => {
      secondStarted = true;
    });
    await new Promise((r) => setImmediate(r));
    assert.equal(secondStarted, false);
    limit.setLimit(2);
    await second;
    assert.equal(secondStarted, true);
    gate.resolve();
    await first;
  });

  it('frees the slot when the task throws', async () => {
    const limit = new ConcurrencyLimit(1);
    await assert.rejects(limit.run(() => Promise.reject(new Error('boom'))));
    assert.equal(await limit.run(async () => 42), 42);
    assert.equal(limit.active, 0);
  });

  it('drops a waiting task whose signal aborts, and never starts one under an aborted signal', async () => {
    const limit = new ConcurrencyLimit(1);
    const gate = deferred();
    const first = limit.run(() => gate.promise);
    const shutdown = new AbortController();
    let started = 0;
    const waiting = limit.run(async () => {
      started++;
    }, shutdown.signal);
    assert.equal(limit.queued, 1);
    shutdown.abort(new Error('shutting down'));
    await assert.rejects(waiting, /shutting down/);
    assert.equal(limit.queued, 0);
    await assert.rejects(
      limit.run(async () => {
        started++;
      }, shutdown.signal),
      /shutting down/,
    );
    gate.resolve();
    await first;
    assert.equal(started, 0);
    assert.equal(limit.active, 0);
  });
});
