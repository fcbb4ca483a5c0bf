import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { WebhookStore } from '../../src/ports/webhook-store.ts';
import type { ContractFactory } from './contract-helpers.ts';
import { uniqueName } from './contract-helpers.ts';

/** What the webhook store keeps per client and how it folds delivery health, whatever engine holds it. */
export function describeWebhookStoreContract(name: string, makeStore: ContractFactory<WebhookStore>): void {
  describe(`${name} webhook store contract`, () => {
    let store: WebhookStore;
    let cleanup: () => Promise<void>;
    let clientId: string;

    beforeEach(async () => {
      ({ store, cleanup } = await makeStore());
      clientId = uniqueName('client');
    });
    afterEach(async () => cleanup());

    it('knows no webhook of a client that registered none', async () => {
      assert.equal(await store.get(clientId), undefined);
      assert.equal(await store.remove(clientId), false);
      assert.equal(await store.resume(clientId, 1), false);
      assert.equal(await store.recordDelivery(clientId, { ok: true }), undefined);
    });

    it('stores a registration as given, active, and keeps registeredAt across a replacement', async () => {
      await store.put({ clientId, url: 'https://a.example/hook', secret: 'sealed-1' }, 1_000);
      const replaced = await store.put(
        {
          clientId,
          url: 'https://b.example/hook',
          secret: 'sealed-2',
          previousSecret: 'sealed-1',
          previousUntil: 9_000,
        },
        2_000,
      );
      const expected = {
        clientId,
        url: 'https://b.example/hook',
        secret: 'sealed-2',
        previousSecret: 'sealed-1',
        previousUntil: 9_000,
        registeredAt: 1_000,
        updatedAt: 2_000,
        state: 'active',
      };
      assert.deepEqual(replaced, expected);
      assert.deepEqual(await store.get(clientId), expected);
    });

    it('pauses a receiver once it has failed for pauseAfterMs, and a success before that clears the failure', async () => {
      await store.put({ clientId, url: 'https://a.example/hook', secret: 's' }, 1_000);
      const fail = (at: number) =>
        store.recordDelivery(clientId, { ok: false, error: { at, status: 503 }, pauseAfterMs: 1_000 });
      assert.equal((await fail(2_000))?.failingSince, 2_000);
      const cleared = await store.recordDelivery(clientId, { ok: true });
      assert.equal(cleared?.failingSince, undefined);
      assert.deepEqual(cleared?.lastError, { at: 2_000, status: 503 }, 'the last error stays visible');
      await fail(3_000);
      assert.equal((await fail(3_500))?.state, 'active');
      const paused = await fail(4_000);
      assert.equal(paused?.state, 'paused');
      assert.equal(paused?.pausedAt, 4_000);
      assert.equal(paused?.failingSince, 3_000);
      assert.deepEqual((await store.get(clientId))?.lastError, { at: 4_000, status: 503 });
    });

    it('resumes a paused receiver, forgetting its failure; a re-registration does so too', async () => {
      await store.put({ clientId, url: 'https://a.example/hook', secret: 's' }, 1_000);
      await store.recordDelivery(clientId, {
        ok: false,
        error: { at: 2_000, error: 'ECONNREFUSED' },
        pauseAfterMs: 0,
      });
      assert.equal((await store.get(clientId))?.state, 'paused');
      assert.equal(await store.resume(clientId, 3_000), true);
      const resumed = await store.get(clientId);
      assert.equal(resumed?.state, 'active');
      assert.equal(resumed?.pausedAt, undefined);
      assert.equal(resumed?.failingSince, undefined);
      await store.recordDelivery(clientId, { ok: false, error: { at: 4_000, status: 500 }, pauseAfterMs: 0 });
      const again = await store.put({ clientId, url: 'https://a.example/hook', secret: 's' }, 5_000);
      assert.equal(again.state, 'active');
      assert.equal((await store.get(clientId))?.failingSince, undefined);
    });

    it('removes a registration', async () => {
      await store.put({ clientId, url: 'https://a.example/hook', secret: 's' }, 1_000);
      assert.equal(await store.remove(clientId), true);
      assert.equal(await store.get(clientId), undefined);
      assert.equal(await store.healthy(), true);
    });
  });
}
