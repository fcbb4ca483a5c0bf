import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { delayUntil } from '../../src/simulators/shutdown-delay.ts';

/** A clock that moves at half the timers' pace: each timer fires "early" by its clock. */
function halfSpeedClock(): () => number {
  const start = Date.now();
  return () => start + Math.floor((Date.now() - start) / 2);
}

describe('delayUntil', () => {
  it('resolves only once the clock has reached the time, however early its timers fire by it', async () => {
    const now = halfSpeedClock();
    const at = now() + 40;
    await delayUntil(at, now, new AbortController().signal);
    assert.ok(now() >= at, `resolved at ${now()}, before ${at}`);
  });

  it('resolves at once for a time already past', async () => {
    let ticks = 0;
    const now = () => {
      ticks += 1;
      return 1_000;
    };
    await delayUntil(999, now, new AbortController().signal);
    assert.equal(ticks, 1);
  });

  it('rejects with the reason once the shutdown signal aborts', async () => {
    const shutdown = new AbortController();
    const waiting = delayUntil(Date.now() + 60_000, Date.now, shutdown.signal);
    shutdown.abort(new Error('simulator closed'));
    await assert.rejects(waiting, /simulator closed/);
  });
});
