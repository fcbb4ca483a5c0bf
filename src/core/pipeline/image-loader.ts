import { createHash } from 'node:crypto';
import type { MediaStore } from '../../ports/media-store.ts';
import { HeraldError } from '../domain/errors.ts';
import type { ImageRef, OutboundImage } from '../domain/message.ts';

/** Most image bytes a lane keeps in memory: 100 distinct 300 KB images. */
export const DEFAULT_IMAGE_CACHE_BYTES = 32 * 1024 * 1024;

/**
 * Loads an MMS message's images from the media store for its vendor call. A campaign sends the same
 * image to many recipients, so the bytes are cached (by sha256, least recently used first out, up
 * to `maxBytes`): a batch of 100 messages with one image costs one store read. Content-addressed
 * bytes never change, so a cached image is never stale.
 *
 * Errors: a store failure passes through (HERALD_UNAVAILABLE, retryable: the message is retried);
 * an image the store no longer has, or whose bytes do not hash to their key, fails the message for
 * good (HERALD_IMAGE_INVALID): waiting will not bring it back.
 */
export class ImageLoader {
  readonly #media: Pick<MediaStore, 'get'>;
  readonly #maxBytes: number;
  /** Map order is recency order: a hit is moved to the end, eviction takes from the start. */
  readonly #cache = new Map<string, { bytes: number; content: Promise<Uint8Array> }>();
  #cachedBytes = 0;

  constructor(media: Pick<MediaStore, 'get'>, maxBytes = DEFAULT_IMAGE_CACHE_BYTES) {
    this.#media = media;
    this.#maxBytes = maxBytes;
  }

  load(refs: readonly ImageRef[]): Promise<OutboundImage[]> {
    return Promise.all(
      refs.map(async (ref) => ({
        sha256: ref.sha256,
        fileName: ref.fileName,
        content: await this.#bytes(ref),
      })),
    );
  }

  #bytes(ref: ImageRef): Promise<Uint8Array> {
    const cached = this.#cache.get(ref.sha256);
    if (cached) {
      this.#cache.delete(ref.sha256);
      this.#cache.set(ref.sha256, cached);
      return cached.content;
    }
    const content = this.#read(ref);
    this.#cache.set(ref.sha256, { bytes: ref.bytes, content });
    this.#cachedBytes += ref.bytes;
    // A failed read is not cached: the next message asks the store again.
    content.catch(() => this.#forget(ref.sha256));
    this.#evict();
    return content;
  }

  async #read(ref: ImageRef): Promise<Uint8Array> {
    const content = await this.#media.get(ref.sha256);
    if (content === undefined) {
      throw new HeraldError(
        'HERALD_IMAGE_INVALID',
        `image ${ref.fileName} (${ref.sha256.slice(0, 12)}) is no longer in the media store`,
      );
    }
    if (createHash('sha256').update(content).digest('hex') !== ref.sha256) {
      throw new HeraldError('HERALD_IMAGE_INVALID', `image ${ref.fileName} in the media store is damaged`);
    }
    return content;
  }

  #forget(sha256: string): void {
    const entry = this.#cache.get(sha256);
    if (!entry) return;
    this.#cache.delete(sha256);
    this.#cachedBytes -= entry.bytes;
  }

  #evict(): void {
    for (const sha256 of this.#cache.keys()) {
      if (this.#cachedBytes <= this.#maxBytes || this.#cache.size <= 1) return;
      this.#forget(sha256);
    }
  }
}
