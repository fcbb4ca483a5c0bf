import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SqliteMediaStore } from '../../../src/adapters/sqlite/sqlite-media-store.ts';
import { describeMediaStoreContract, mediaOf } from '../../contracts/media-store.contract.ts';
import { inTempDirectory, tempDirectory } from './temp-directory.ts';

describeMediaStoreContract(
  'sqlite',
  inTempDirectory('media.db', (path) => new SqliteMediaStore({ path })),
);

describe('sqlite media store (adapter only)', () => {
  it('shares images between the API and a worker on the same file, and keeps them across a restart', async () => {
    const dir = tempDirectory();
    const path = dir.file('media.db');
    const image = mediaOf();
    const api = new SqliteMediaStore({ path });
    const worker = new SqliteMediaStore({ path });
    try {
      await api.put([image], Date.now() + 60_000);
      assert.deepEqual(new Uint8Array((await worker.get(image.sha256))!), image.content);
      await api.close();
      const restarted = new SqliteMediaStore({ path });
      assert.ok(await restarted.get(image.sha256));
      await restarted.close();
    } finally {
      await api.close();
      await worker.close();
      dir.remove();
    }
  });
});
