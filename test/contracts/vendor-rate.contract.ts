import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { VendorRate } from '../../src/ports/vendor-rate.ts';
import type { ContractSubject } from './contract-helpers.ts';
import { sleep, uniqueName } from './contract-helpers.ts';

/** A vendor rate and `peer`, another process of the same deployment sharing its buckets. */
export type VendorRateSubject = ContractSubject<VendorRate> & { readonly peer: VendorRate };

/**
 * Tokens a process may hold ahead of the shared rate (the Redis adapter takes a tenth of a
 * second's worth per round trip): the slack every count below allows per process.
 */
const held = (rate: number) => Math.ceil(rate / 10);

/**
 * What the send path relies on, for every vendor rate adapter. Real time, so every bound is on
 * counts of granted tokens over a measured elapsed time, generous, and never "within N ms".
 */
export function describeVendorRateContract(name: string, makeRate: () => Promise<VendorRateSubject>): void {
  describe(`${name} vendor rate contract`, () => {
    let rate: VendorRate;
    let peer: VendorRate;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store: rate, peer, cleanup } = await makeRate());
    });
    afterEach(async () => cleanup());

    const never = new AbortController().signal;

    /** Takes one token at a time from `rates` in turn until `ms` pass; how many each got. */
    async function grantedWithin(
      rates: readonly VendorRate[],
      bucket: string,
      perSecond: number,
      ms: number,
    ) {
      const stop = new AbortController();
      const started = performance.now();
      const counts = rates.map(() => 0);
      const timer = setTimeout(() => stop.abort(new Error('window over')), ms);
      await Promise.all(
        rates.map(async (r, i) => {
          for (;;) {
            try {
              await r.acquire(bucket, 1, perSecond, stop.signal);
            } catch {
              return;
            }
            if (stop.signal.aborted) return;
            counts[i]!++;
          }
        }),
      );
      clearTimeout(timer);
      return { counts, elapsedMs: performance.now() - started };
    }

    it("lets one second's worth go at once, then no more than the rate", async () => {
      const bucket = uniqueName('burst');
      const { counts, elapsedMs } = await grantedWithin([rate], bucket, 50, 300);
      const granted = counts[0]!;
      assert.ok(granted >= 50, `the burst of 50 goes at once (got ${granted})`);
      const most = 50 + Math.ceil((elapsedMs / 1_000) * 50) + held(50);
      assert.ok(granted <= most, `${granted} granted in ${Math.round(elapsedMs)} ms, at most ${most}`);
    });

    it('lets a call larger than the burst go, and makes the next calls wait for what it carried', async () => {
      const bucket = uniqueName('bulk');
      await rate.acquire(bucket, 150, 100, never);
      const started = performance.now();
      await rate.acquire(bucket, 1, 100, never);
      const waited = performance.now() - started;
      // 50 tokens of debt at 100/s: half a second before the next single send.
      assert.ok(waited >= 400, `the next call waited ${Math.round(waited)} ms for the debt of 50`);
    });

    it('keeps vendors apart: a drained bucket holds no other vendor back', async () => {
      const drained = uniqueName('drained');
      const other = uniqueName('other');
      await rate.acquire(drained, 10, 10, never);
      const order: string[] = [];
      await Promise.all([
        rate.acquire(drained, 5, 10, never).then(() => order.push('drained')),
        rate.acquire(other, 10, 10, never).then(() => order.push('other')),
      ]);
      assert.deepEqual(order, ['other', 'drained']);
    });

    it("rejects a waiting caller when its signal aborts, with the signal's reason, and lets the next one go", async () => {
      const bucket = uniqueName('abort');
      await rate.acquire(bucket, 10, 10, never);
      const shutdown = new AbortController();
      const reason = new Error('lane stopping');
      const waiting = rate.acquire(bucket, 5, 10, shutdown.signal);
      const next = rate.acquire(bucket, 1, 10, never);
      await sleep(20);
      shutdown.abort(reason);
      await assert.rejects(waiting, (error) => error === reason);
      await next;
    });

    it('shares one rate between two processes: together they get no more than one of them would', async () => {
      const bucket = uniqueName('shared');
      const { counts, elapsedMs } = await grantedWithin([rate, peer], bucket, 100, 1_000);
      const total = counts[0]! + counts[1]!;
      const most = 100 + Math.ceil((elapsedMs / 1_000) * 100) + 2 * held(100);
      assert.ok(total >= 100, `the two got at least the burst (${counts.join(' + ')})`);
      assert.ok(
        total <= most,
        `${counts.join(' + ')} in ${Math.round(elapsedMs)} ms, at most ${most} in all`,
      );
    });
  });
}
