import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { HeraldError } from '../../../src/core/domain/errors.ts';
import type { Envelope, ImageRef } from '../../../src/core/domain/message.ts';
import { ImageLoader } from '../../../src/core/pipeline/image-loader.ts';
import { MetadataResolver } from '../../../src/core/pipeline/metadata-resolver.ts';
import { makeJpeg } from '../../support/jpeg-fixture.ts';

const image = (width: number, bytes = 4096) => {
  const content = makeJpeg({ width, height: 10, bytes });
  const ref: ImageRef = {
    sha256: createHash('sha256').update(content).digest('hex'),
    fileName: `w${width}.jpg`,
    bytes: content.length,
  };
  return { content, ref };
};

/** A media store as an object literal, counting reads; `fail` makes reads fail like an outage. */
function media(images: readonly { content: Uint8Array; ref: ImageRef }[]) {
  const bySha = new Map(images.map((i) => [i.ref.sha256, i.content]));
  const state = { reads: 0, fail: false };
  return {
    state,
    store: {
      get: async (sha256: string) => {
        state.reads++;
        if (state.fail) throw new HeraldError('HERALD_UNAVAILABLE', 'store down', { retryable: true });
        return bySha.get(sha256);
      },
    },
  };
}

const envelope = (images: readonly ImageRef[]): Envelope => ({
  messageId: 'm1',
  requestId: 'r1',
  clientId: 'shop',
  key: 'k1',
  channel: 'mms',
  lane: 'realtime',
  to: '01011112222',
  from: '0212345678',
  content: { subject: '쿠폰', body: '봄 쿠폰' },
  images,
  attempt: 1,
  expiresAt: 10_000,
  createdAt: 1_000,
});

const noTemplates = { get: async () => undefined };

describe('MetadataResolver with MMS images', () => {
  it('loads the images into the outbound message, in order, and needs a lookup for them', async () => {
    const a = image(100);
    const b = image(200);
    const { store } = media([a, b]);
    const resolver = new MetadataResolver(noTemplates, undefined, new ImageLoader(store));
    const mms = envelope([b.ref, a.ref]);
    assert.equal(resolver.needsLookup(mms), true);
    const message = await resolver.resolve(mms, 2_000);
    assert.deepEqual(
      message.images?.map((i) => [i.fileName, i.sha256, i.content.length]),
      [
        ['w200.jpg', b.ref.sha256, 4096],
        ['w100.jpg', a.ref.sha256, 4096],
      ],
    );
    assert.equal(message.body, '봄 쿠폰');
    assert.equal(message.from, '0212345678');
  });

  it('reads an image once for many messages (cached)', async () => {
    const a = image(100);
    const { store, state } = media([a]);
    const resolver = new MetadataResolver(noTemplates, undefined, new ImageLoader(store));
    await Promise.all(Array.from({ length: 20 }, () => resolver.resolve(envelope([a.ref]), 2_000)));
    assert.equal(state.reads, 1);
  });

  it('keeps the cache within its bytes, evicting the least recently used image', async () => {
    const [a, b, c] = [image(100, 4096), image(200, 4096), image(300, 4096)];
    const { store, state } = media([a, b, c]);
    const loader = new ImageLoader(store, 8192);
    await loader.load([a.ref]);
    await loader.load([b.ref]);
    await loader.load([a.ref]); // a is now the most recent
    await loader.load([c.ref]); // evicts b
    assert.equal(state.reads, 3);
    await loader.load([a.ref]);
    assert.equal(state.reads, 3, 'a stayed');
    await loader.load([b.ref]);
    assert.equal(state.reads, 4, 'b was evicted');
  });

  it('fails for good when the image is gone, and retryably when the store is down (not cached)', async () => {
    const a = image(100);
    const { store, state } = media([]);
    const loader = new ImageLoader(store);
    await assert.rejects(loader.load([a.ref]), { code: 'HERALD_IMAGE_INVALID', retryable: false });
    state.fail = true;
    await assert.rejects(loader.load([a.ref]), { code: 'HERALD_UNAVAILABLE', retryable: true });
    assert.equal(state.reads, 2, 'a failure is not cached');
  });

  it('refuses bytes that do not hash to their reference', async () => {
    const a = image(100);
    const loader = new ImageLoader({ get: async () => image(999).content });
    await assert.rejects(loader.load([a.ref]), { code: 'HERALD_IMAGE_INVALID', message: /damaged/ });
  });

  it('fails retryably in a worker without a media store', async () => {
    const resolver = new MetadataResolver(noTemplates);
    await assert.rejects(resolver.resolve(envelope([image(1).ref]), 2_000), {
      code: 'HERALD_UNAVAILABLE',
      retryable: true,
    });
  });
});
