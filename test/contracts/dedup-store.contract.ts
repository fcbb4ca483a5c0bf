import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { DedupStore } from '../../src/ports/dedup-store.ts';
import type { ContractFactory } from './contract-helpers.ts';
import { sleep, uniqueName } from './contract-helpers.ts';

const LONG_TTL_MS = 60_000;
const SHORT_TTL_MS = 200;
/** Comfortably past SHORT_TTL_MS, for stores that expire keys lazily or on a coarse clock. */
const PAST_SHORT_TTL_MS = 600;

/** The two-phase dedup semantics the pipeline relies on to send each message key at most once. */
export function describeDedupStoreContract(name: string, makeStore: ContractFactory<DedupStore>): void {
  describe(`${name} dedup store contract`, () => {
    let store: DedupStore;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, cleanup } = await makeStore());
    });
    afterEach(async () => cleanup());

    const keys = (count: number): string[] => Array.from({ length: count }, () => uniqueName('msg-key'));

    it('reserves fresh keys, and a held reservation answers in-flight', async () => {
      const batch = keys(3);
      assert.deepEqual(await store.reserve(batch, LONG_TTL_MS), ['reserved', 'reserved', 'reserved']);
      assert.deepEqual(await store.reserve(batch, LONG_TTL_MS), ['in-flight', 'in-flight', 'in-flight']);
    });

    it('a confirmed key answers sent', async () => {
      const [key] = keys(1) as [string];
      await store.reserve([key], LONG_TTL_MS);
      await store.confirm([key], LONG_TTL_MS);
      assert.deepEqual(await store.reserve([key], LONG_TTL_MS), ['sent']);
    });

    it('confirm marks a key sent even without a reservation', async () => {
      const [key] = keys(1) as [string];
      await store.confirm([key], LONG_TTL_MS);
      assert.deepEqual(await store.reserve([key], LONG_TTL_MS), ['sent']);
    });

    it('verdicts come back in the order of the keys', async () => {
      const [sent, fresh, held] = keys(3) as [string, string, string];
      await store.confirm([sent], LONG_TTL_MS);
      await store.reserve([held], LONG_TTL_MS);
      assert.deepEqual(await store.reserve([sent, fresh, held], LONG_TTL_MS), [
        'sent',
        'reserved',
        'in-flight',
      ]);
      assert.deepEqual(await store.reserve([held, sent, fresh], LONG_TTL_MS), [
        'in-flight',
        'sent',
        'in-flight',
      ]);
    });

    it('the same key twice in one batch is reserved once', async () => {
      const [key, other] = keys(2) as [string, string];
      assert.deepEqual(await store.reserve([key, other, key], LONG_TTL_MS), [
        'reserved',
        'reserved',
        'in-flight',
      ]);
    });

    it('release frees a reservation so a retry can reserve again', async () => {
      const [key] = keys(1) as [string];
      await store.reserve([key], LONG_TTL_MS);
      await store.release([key]);
      assert.deepEqual(await store.reserve([key], LONG_TTL_MS), ['reserved']);
    });

    it('release leaves a confirmed key sent', async () => {
      const [key] = keys(1) as [string];
      await store.reserve([key], LONG_TTL_MS);
      await store.confirm([key], LONG_TTL_MS);
      await store.release([key]);
      assert.deepEqual(await store.reserve([key], LONG_TTL_MS), ['sent']);
    });

    it('release of an unknown key is harmless', async () => {
      const [key] = keys(1) as [string];
      await store.release([key]);
      assert.deepEqual(await store.reserve([key], LONG_TTL_MS), ['reserved']);
    });

    it("a crashed owner's reservation lapses after its TTL", async () => {
      const [key, longHeld] = keys(2) as [string, string];
      await store.reserve([key], SHORT_TTL_MS);
      await store.reserve([longHeld], LONG_TTL_MS);
      await sleep(PAST_SHORT_TTL_MS);
      assert.deepEqual(await store.reserve([key, longHeld], LONG_TTL_MS), ['reserved', 'in-flight']);
    });

    it('a confirmed key is forgotten after the dedup window', async () => {
      const [key, remembered] = keys(2) as [string, string];
      await store.confirm([key], SHORT_TTL_MS);
      await store.confirm([remembered], LONG_TTL_MS);
      await sleep(PAST_SHORT_TTL_MS);
      assert.deepEqual(await store.reserve([key, remembered], LONG_TTL_MS), ['reserved', 'sent']);
    });

    it('reports itself healthy while open and unhealthy once closed, without throwing', async () => {
      assert.equal(await store.healthy(), true);
      await store.close();
      assert.equal(await store.healthy(), false);
    });

    it('empty batches are no-ops', async () => {
      assert.deepEqual(await store.reserve([], LONG_TTL_MS), []);
      await store.confirm([], LONG_TTL_MS);
      await store.release([]);
      assert.deepEqual(await store.claimFirst([], LONG_TTL_MS), new Map());
      await store.releaseClaims([]);
    });

    describe('content claims', () => {
      const claim = (key: string) => ({ key, messageId: uniqueName('message') });

      it('the first claim wins; a later one is told the message that holds the key', async () => {
        const [taken, free] = keys(2) as [string, string];
        const first = claim(taken);
        assert.deepEqual(await store.claimFirst([first], LONG_TTL_MS), new Map());
        const [again, other] = [claim(taken), claim(free)];
        assert.deepEqual(
          await store.claimFirst([other, again], LONG_TTL_MS),
          new Map([[taken, first.messageId]]),
        );
        assert.deepEqual(
          await store.claimFirst([claim(taken), claim(free)], LONG_TTL_MS),
          new Map([
            [taken, first.messageId],
            [free, other.messageId],
          ]),
          'the losing claim did not take the key over',
        );
      });

      it('a key repeated in one batch is claimed by its first entry and not reported', async () => {
        const [key, other] = keys(2) as [string, string];
        const [first, second, third] = [claim(key), claim(other), claim(key)];
        assert.deepEqual(await store.claimFirst([first, second, third], LONG_TTL_MS), new Map());
        assert.deepEqual(
          await store.claimFirst([claim(key), claim(other)], LONG_TTL_MS),
          new Map([
            [key, first.messageId],
            [other, second.messageId],
          ]),
        );
      });

      it('a claim is freed after its window', async () => {
        const [key, remembered] = keys(2) as [string, string];
        await store.claimFirst([claim(key)], SHORT_TTL_MS);
        const kept = claim(remembered);
        await store.claimFirst([kept], LONG_TTL_MS);
        await sleep(PAST_SHORT_TTL_MS);
        const fresh = claim(key);
        assert.deepEqual(
          await store.claimFirst([fresh, claim(remembered)], LONG_TTL_MS),
          new Map([[remembered, kept.messageId]]),
        );
        assert.deepEqual(
          await store.claimFirst([claim(key)], LONG_TTL_MS),
          new Map([[key, fresh.messageId]]),
        );
      });

      it('releaseClaims frees only a claim its own message holds', async () => {
        const [key, other] = keys(2) as [string, string];
        const [mine, theirs] = [claim(key), claim(other)];
        await store.claimFirst([mine, theirs], LONG_TTL_MS);
        await store.releaseClaims([mine, claim(other)]);
        const retry = claim(key);
        assert.deepEqual(
          await store.claimFirst([retry, claim(other)], LONG_TTL_MS),
          new Map([[other, theirs.messageId]]),
        );
      });

      it('claims and message keys never meet, even under the same string', async () => {
        const [key] = keys(1) as [string];
        await store.confirm([key], LONG_TTL_MS);
        assert.deepEqual(await store.claimFirst([claim(key)], LONG_TTL_MS), new Map());
        assert.deepEqual(await store.reserve([key], LONG_TTL_MS), ['sent']);
      });

      it('fails as HERALD_UNAVAILABLE when the store cannot answer', async () => {
        await store.close();
        await assert.rejects(store.claimFirst([claim(uniqueName('k'))], LONG_TTL_MS), {
          code: 'HERALD_UNAVAILABLE',
          retryable: true,
        });
        await assert.rejects(store.releaseClaims([claim(uniqueName('k'))]), { code: 'HERALD_UNAVAILABLE' });
      });
    });
  });
}
