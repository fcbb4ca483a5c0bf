import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { SqliteIdempotencyStore } from '../../../src/adapters/sqlite/sqlite-idempotency-store.ts';
import { describeIdempotencyStoreContract } from '../../contracts/idempotency-store.contract.ts';
import type { TempDirectory } from './temp-directory.ts';
import { inTempDirectory, tempDirectory } from './temp-directory.ts';

describeIdempotencyStoreContract(
  'sqlite',
  inTempDirectory('idempotency.db', (path) => new SqliteIdempotencyStore({ path })),
);

const MINUTE_MS = 60_000;

describe('sqlite idempotency store (adapter only)', () => {
  let dir: TempDirectory;
  let path: string;
  let open: SqliteIdempotencyStore[];

  beforeEach(() => {
    dir = tempDirectory();
    path = dir.file('idempotency.db');
    open = [];
  });
  afterEach(async () => {
    await Promise.all(open.map((store) => store.close()));
    dir.remove();
  });

  function openStore(): SqliteIdempotencyStore {
    const store = new SqliteIdempotencyStore({ path });
    open.push(store);
    return store;
  }

  it('keeps records across close and reopen', async () => {
    const first = openStore();
    const claim = await first.claim('done', 'fp', MINUTE_MS);
    assert.equal(claim.state, 'claimed');
    if (claim.state === 'claimed')
      await first.complete('done', claim.token, { fingerprint: 'fp', answer: '{}' }, MINUTE_MS);
    await first.claim('held', 'fp', MINUTE_MS);
    await first.close();

    const reopened = openStore();
    assert.deepEqual(await reopened.claim('done', 'fp', MINUTE_MS), {
      state: 'completed',
      fingerprint: 'fp',
      answer: '{}',
    });
    assert.equal((await reopened.claim('held', 'fp', MINUTE_MS)).state, 'in-progress');
  });

  it('two stores on one file (two API processes) never both claim a key', async () => {
    const [a, b] = [openStore(), openStore()];
    const claims = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).claim('shared', 'fp', MINUTE_MS)),
    );
    assert.equal(claims.filter((claim) => claim.state === 'claimed').length, 1);
  });

  it('purges expired records only', async () => {
    const store = openStore();
    await store.claim('short-a', 'fp', 1_000);
    await store.claim('short-b', 'fp', 1_000);
    await store.claim('long', 'fp', 10 * MINUTE_MS);
    assert.equal(store.purgeExpired(Date.now() + MINUTE_MS), 2);
    assert.equal(store.purgeExpired(Date.now() + MINUTE_MS), 0);
    assert.equal((await store.claim('long', 'fp', MINUTE_MS)).state, 'in-progress');
  });

  it('purges expired remembered entries too, and keeps them across close and reopen', async () => {
    const first = openStore();
    await first.remember(
      [
        { key: 'short', value: 's' },
        { key: 'other-short', value: 's' },
      ],
      1_000,
    );
    await first.remember([{ key: 'long', value: 'l' }], 10 * MINUTE_MS);
    await first.claim('record', 'fp', 1_000);
    await first.close();
    const store = openStore();
    assert.equal(await store.recall('short'), 's');
    assert.equal(store.purgeExpired(Date.now() + MINUTE_MS), 3);
    assert.equal(await store.recall('long'), 'l');
  });

  it('fails as unavailable once closed, so the API can fail open', async () => {
    const store = openStore();
    await store.close();
    await assert.rejects(store.claim('k', 'fp', MINUTE_MS), { code: 'HERALD_UNAVAILABLE', retryable: true });
  });
});
