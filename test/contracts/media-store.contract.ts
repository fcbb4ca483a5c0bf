import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { MediaStore, MediaToStore } from '../../src/ports/media-store.ts';
import type { ContractFactory } from './contract-helpers.ts';

/** A random image's bytes with their key; random so parallel runs on one store never share rows. */
export function mediaOf(bytes = 2048): MediaToStore {
  const content = new Uint8Array(randomBytes(bytes));
  return { sha256: createHash('sha256').update(content).digest('hex'), content };
}

/** What the media store keeps for the messages that carry images, whatever engine holds it. */
export function describeMediaStoreContract(name: string, makeStore: ContractFactory<MediaStore>): void {
  describe(`${name} media store contract`, () => {
    let store: MediaStore;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, cleanup } = await makeStore());
    });
    afterEach(async () => cleanup());

    it('returns the bytes stored under their sha256, byte for byte', async () => {
      const small = mediaOf(10);
      const large = mediaOf(300 * 1024);
      await store.put([small, large], Date.now() + 60_000);
      assert.deepEqual(new Uint8Array((await store.get(small.sha256))!), small.content);
      assert.deepEqual(new Uint8Array((await store.get(large.sha256))!), large.content);
    });

    it('answers undefined for an image never stored', async () => {
      assert.equal(await store.get(mediaOf().sha256), undefined);
    });

    it('stores the same bytes once, however many puts and messages carry them', async () => {
      const image = mediaOf();
      await store.put([image, image], 5_000);
      await store.put([image], 6_000);
      assert.deepEqual(new Uint8Array((await store.get(image.sha256))!), image.content);
      // One row: a purge just past the longest keep-until removes exactly it.
      const purged = await store.purgeExpired(6_001);
      assert.ok(purged >= 1);
      assert.equal(await store.get(image.sha256), undefined);
    });

    it('purges an image only once its keep-until time has passed', async () => {
      const image = mediaOf();
      await store.put([image], 10_000);
      await store.purgeExpired(9_999);
      assert.ok(await store.get(image.sha256), 'kept until its time');
      await store.purgeExpired(10_000);
      assert.ok(await store.get(image.sha256), 'kept at its time');
      await store.purgeExpired(10_001);
      assert.equal(await store.get(image.sha256), undefined);
    });

    it('keeps an image for its longest-lived message: a later put never shortens its stay', async () => {
      const image = mediaOf();
      await store.put([image], 20_000);
      await store.put([image], 15_000);
      await store.purgeExpired(19_000);
      assert.ok(await store.get(image.sha256), 'the earlier, longer keep-until holds');
      const longer = mediaOf();
      await store.put([longer], 15_000);
      await store.put([longer], 30_000);
      await store.purgeExpired(25_000);
      assert.ok(await store.get(longer.sha256), 'the later, longer keep-until holds');
    });

    it('takes an empty put, and reports itself healthy', async () => {
      await store.put([], 1);
      assert.equal(await store.healthy(), true);
    });
  });
}
