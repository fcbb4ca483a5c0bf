import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FileIdCache, fileIdKey } from '../../src/vendors/file-id-cache.ts';

describe('FileIdCache', () => {
  it('uploads an image once per key while concurrent first sends share the upload', async () => {
    const cache = new FileIdCache(() => 0, 0);
    let uploads = 0;
    const upload = async () => {
      uploads += 1;
      return { fileId: `f${uploads}`, expiresAt: 1_000 };
    };
    const key = fileIdKey('nhn-sms', 'app', 'abc');
    const ids = await Promise.all([cache.fileIdFor(key, upload), cache.fileIdFor(key, upload)]);
    assert.deepEqual(ids, ['f1', 'f1']);
    assert.equal(await cache.fileIdFor(key, upload), 'f1');
    assert.equal(await cache.fileIdFor(fileIdKey('sens-sms', 'app', 'abc'), upload), 'f2');
    assert.equal(uploads, 2);
  });

  it('uploads again once the id is within the margin of its expiry', async () => {
    let now = 0;
    const cache = new FileIdCache(() => now, 100);
    let uploads = 0;
    const upload = async () => {
      uploads += 1;
      return { fileId: `f${uploads}`, expiresAt: now + 1_000 };
    };
    assert.equal(await cache.fileIdFor('k', upload), 'f1');
    now = 899;
    assert.equal(await cache.fileIdFor('k', upload), 'f1');
    now = 900;
    assert.equal(await cache.fileIdFor('k', upload), 'f2');
  });

  it('forgets a failed upload so the next send tries again, and an id on request', async () => {
    const cache = new FileIdCache(() => 0, 0);
    await assert.rejects(
      cache.fileIdFor('k', async () => {
        throw new Error('vendor down');
      }),
      /vendor down/,
    );
    assert.equal(await cache.fileIdFor('k', async () => ({ fileId: 'ok', expiresAt: 10 })), 'ok');
    cache.forget('k');
    assert.equal(await cache.fileIdFor('k', async () => ({ fileId: 'again', expiresAt: 10 })), 'again');
  });
});
