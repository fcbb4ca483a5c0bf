/** A file a vendor's file API gave back for an uploaded image. */
export interface UploadedFileId {
  readonly fileId: string;
  /** Epoch ms after which the vendor no longer has it (SENS: 6 days; NHN and SOLAPI: their terms). */
  readonly expiresAt: number;
}

/**
 * The file ids of images uploaded to each vendor, process-wide (every lane's adapter of one vendor
 * shares it), so one image of a campaign is uploaded once per vendor, not once per message. Keyed
 * by vendor id, the account and the image's SHA-256; concurrent first sends of one image share
 * one upload, and a failed upload is forgotten so the next send tries again. An id is used until
 * `marginMs` before the vendor's expiry: a send never names a file that lapses on the way.
 */
export class FileIdCache {
  readonly #entries = new Map<string, Promise<UploadedFileId>>();
  readonly #now: () => number;
  readonly #marginMs: number;

  constructor(now: () => number = Date.now, marginMs = 10 * 60_000) {
    this.#now = now;
    this.#marginMs = marginMs;
  }

  async fileIdFor(key: string, upload: () => Promise<UploadedFileId>): Promise<string> {
    const cached = this.#entries.get(key);
    if (cached !== undefined) {
      const settled = await cached.catch(() => undefined);
      if (settled !== undefined && settled.expiresAt - this.#marginMs > this.#now()) return settled.fileId;
      if (this.#entries.get(key) === cached) this.#entries.delete(key);
      // Someone else may have started a fresh upload meanwhile: share it.
      const fresher = this.#entries.get(key);
      if (fresher !== undefined && fresher !== cached) return (await fresher).fileId;
    }
    const started = upload();
    this.#entries.set(key, started);
    started.catch(() => {
      if (this.#entries.get(key) === started) this.#entries.delete(key);
    });
    return (await started).fileId;
  }

  /** Forgets one id (the vendor said it does not know it any more). */
  forget(key: string): void {
    this.#entries.delete(key);
  }
}

/** The cache every adapter of this process shares. */
export const FILE_ID_CACHE = new FileIdCache();

/** The cache key of an image at one vendor account. */
export function fileIdKey(vendorId: string, accountId: string, sha256: string): string {
  return `${vendorId}\u0000${accountId}\u0000${sha256}`;
}
