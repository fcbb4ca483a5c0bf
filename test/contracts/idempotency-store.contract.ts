import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { IdempotencyClaim, IdempotencyStore } from '../../src/ports/idempotency-store.ts';
import type { ContractFactory } from './contract-helpers.ts';
import { sleep, uniqueName } from './contract-helpers.ts';

const LONG_MS = 60_000;
const SHORT_MS = 200;
/** Comfortably past SHORT_MS, for stores that expire keys lazily or on a coarse clock. */
const PAST_SHORT_MS = 600;

/** An answer as the API stores it: JSON of several KiB, with colons and text outside ASCII. */
const ANSWER = JSON.stringify({
  requestId: 'req-1',
  messages: Array.from({ length: 100 }, (_, index) => ({
    index,
    messageId: `0190f0c2-7b1d-7abc-8def-${String(index).padStart(12, '0')}`,
    status: 'accepted',
    channel: 'sms',
    note: '주문: 접수됨',
  })),
});

function tokenOf(claim: IdempotencyClaim): string {
  assert.equal(claim.state, 'claimed', `expected a claim, got ${JSON.stringify(claim)}`);
  return (claim as Extract<IdempotencyClaim, { state: 'claimed' }>).token;
}

/** The record life cycle the API's Idempotency-Key handling relies on, whatever engine holds it. */
export function describeIdempotencyStoreContract(
  name: string,
  makeStore: ContractFactory<IdempotencyStore>,
): void {
  describe(`${name} idempotency store contract`, () => {
    let store: IdempotencyStore;
    let cleanup: () => Promise<void>;
    let key: string;

    beforeEach(async () => {
      ({ store, cleanup } = await makeStore());
      key = uniqueName('record');
    });
    afterEach(async () => cleanup());

    it('claims a free key once; a second claim sees it in progress with the first fingerprint', async () => {
      tokenOf(await store.claim(key, 'fp-1', LONG_MS));
      assert.deepEqual(await store.claim(key, 'fp-2', LONG_MS), {
        state: 'in-progress',
        fingerprint: 'fp-1',
      });
    });

    it('of several claims racing for one key, exactly one wins', async () => {
      const claims = await Promise.all(Array.from({ length: 10 }, () => store.claim(key, 'fp', LONG_MS)));
      assert.equal(claims.filter((claim) => claim.state === 'claimed').length, 1);
      assert.equal(claims.filter((claim) => claim.state === 'in-progress').length, 9);
    });

    it('a completed key answers with its fingerprint and the answer, byte for byte', async () => {
      const token = tokenOf(await store.claim(key, 'fp-1', LONG_MS));
      await store.complete(key, token, { fingerprint: 'fp-1', answer: ANSWER }, LONG_MS);
      assert.deepEqual(await store.claim(key, 'fp-1', LONG_MS), {
        state: 'completed',
        fingerprint: 'fp-1',
        answer: ANSWER,
      });
      assert.deepEqual(await store.claim(key, 'fp-other', LONG_MS), {
        state: 'completed',
        fingerprint: 'fp-1',
        answer: ANSWER,
      });
    });

    it('release frees a claim, so the next request claims the key', async () => {
      const token = tokenOf(await store.claim(key, 'fp-1', LONG_MS));
      await store.release(key, token);
      tokenOf(await store.claim(key, 'fp-2', LONG_MS));
    });

    it('release with another token leaves the claim', async () => {
      tokenOf(await store.claim(key, 'fp-1', LONG_MS));
      await store.release(key, 'not-the-token');
      assert.equal((await store.claim(key, 'fp-1', LONG_MS)).state, 'in-progress');
    });

    it('release never deletes a completed record', async () => {
      const token = tokenOf(await store.claim(key, 'fp-1', LONG_MS));
      await store.complete(key, token, { fingerprint: 'fp-1', answer: ANSWER }, LONG_MS);
      await store.release(key, token);
      assert.equal((await store.claim(key, 'fp-1', LONG_MS)).state, 'completed');
    });

    it('a lapsed lease frees the key (an API process died mid-request); the late owner cannot overwrite the new claim', async () => {
      const stale = tokenOf(await store.claim(key, 'fp-1', SHORT_MS));
      await sleep(PAST_SHORT_MS);
      const fresh = tokenOf(await store.claim(key, 'fp-2', LONG_MS));
      await store.complete(key, stale, { fingerprint: 'fp-1', answer: 'late' }, LONG_MS);
      await store.release(key, stale);
      assert.deepEqual(await store.claim(key, 'fp-3', LONG_MS), {
        state: 'in-progress',
        fingerprint: 'fp-2',
      });
      await store.complete(key, fresh, { fingerprint: 'fp-2', answer: ANSWER }, LONG_MS);
      assert.deepEqual(await store.claim(key, 'fp-2', LONG_MS), {
        state: 'completed',
        fingerprint: 'fp-2',
        answer: ANSWER,
      });
    });

    it('complete after the lease lapsed, with nobody else on the key, still stores the answer', async () => {
      const token = tokenOf(await store.claim(key, 'fp-1', SHORT_MS));
      await sleep(PAST_SHORT_MS);
      await store.complete(key, token, { fingerprint: 'fp-1', answer: ANSWER }, LONG_MS);
      assert.equal((await store.claim(key, 'fp-1', LONG_MS)).state, 'completed');
    });

    it('a completed record is forgotten after its window', async () => {
      const remembered = uniqueName('record');
      for (const [record, windowMs] of [
        [key, SHORT_MS],
        [remembered, LONG_MS],
      ] as const) {
        const token = tokenOf(await store.claim(record, 'fp', LONG_MS));
        await store.complete(record, token, { fingerprint: 'fp', answer: ANSWER }, windowMs);
      }
      await sleep(PAST_SHORT_MS);
      tokenOf(await store.claim(key, 'fp', LONG_MS));
      assert.equal((await store.claim(remembered, 'fp', LONG_MS)).state, 'completed');
    });

    it('remember then recall gives each value back, byte for byte; an unknown key recalls undefined', async () => {
      const other = uniqueName('entry');
      await store.remember(
        [
          { key, value: ANSWER },
          { key: other, value: '{"b":"주문: 접수됨"}' },
        ],
        LONG_MS,
      );
      assert.equal(await store.recall(key), ANSWER);
      assert.equal(await store.recall(other), '{"b":"주문: 접수됨"}');
      assert.equal(await store.recall(uniqueName('entry')), undefined);
    });

    it('a remembered entry is forgotten after its TTL, the others of a longer TTL stay', async () => {
      const kept = uniqueName('entry');
      await store.remember([{ key, value: 'short' }], SHORT_MS);
      await store.remember([{ key: kept, value: 'long' }], LONG_MS);
      await sleep(PAST_SHORT_MS);
      assert.equal(await store.recall(key), undefined);
      assert.equal(await store.recall(kept), 'long');
    });

    it('remembering a key again replaces its value and its TTL', async () => {
      await store.remember([{ key, value: 'first' }], SHORT_MS);
      await store.remember([{ key, value: 'second' }], LONG_MS);
      await sleep(PAST_SHORT_MS);
      assert.equal(await store.recall(key), 'second');
    });

    it('remembering nothing is a no-op', async () => {
      await store.remember([], LONG_MS);
      assert.equal(await store.recall(key), undefined);
    });

    it('remembered keys and record keys are namespaces apart', async () => {
      await store.remember([{ key, value: ANSWER }], LONG_MS);
      const token = tokenOf(await store.claim(key, 'fp', LONG_MS));
      await store.complete(key, token, { fingerprint: 'fp', answer: 'the record' }, LONG_MS);
      assert.equal(await store.recall(key), ANSWER);
      const recordOnly = uniqueName('record');
      tokenOf(await store.claim(recordOnly, 'fp', LONG_MS));
      assert.equal(await store.recall(recordOnly), undefined);
    });

    it('remember and recall fail as HERALD_UNAVAILABLE when the store cannot be reached', async () => {
      await store.close();
      await assert.rejects(store.remember([{ key, value: 'v' }], LONG_MS), {
        code: 'HERALD_UNAVAILABLE',
        retryable: true,
      });
      await assert.rejects(store.recall(key), { code: 'HERALD_UNAVAILABLE', retryable: true });
    });

    it('keys are independent', async () => {
      const other = uniqueName('record');
      const token = tokenOf(await store.claim(key, 'fp', LONG_MS));
      await store.complete(key, token, { fingerprint: 'fp', answer: ANSWER }, LONG_MS);
      tokenOf(await store.claim(other, 'fp', LONG_MS));
    });
  });
}
