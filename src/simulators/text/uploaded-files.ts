import { createHash, randomUUID } from 'node:crypto';

export interface UploadedFile {
  readonly fileId: string;
  readonly sha256: string;
  readonly fileName: string;
  readonly bytes: number;
  readonly expiresAt: number;
}

/**
 * Images uploaded to each simulated vendor's file API (NHN attachfile, SENS files, SOLAPI storage)
 * before an MMS names them: a send may only name a file id of its own vendor that has not expired,
 * and a test can count how often one image was uploaded to each vendor.
 */
export class UploadedFiles {
  readonly #byVendor = new Map<string, Map<string, UploadedFile>>();

  add(
    vendorId: string,
    fileName: string,
    content: Uint8Array,
    lifetimeMs: number,
    now = Date.now(),
  ): UploadedFile {
    const files = this.#byVendor.get(vendorId) ?? new Map<string, UploadedFile>();
    this.#byVendor.set(vendorId, files);
    const file: UploadedFile = Object.freeze({
      fileId: randomUUID().replaceAll('-', ''),
      sha256: createHash('sha256').update(content).digest('hex'),
      fileName,
      bytes: content.byteLength,
      expiresAt: now + lifetimeMs,
    });
    files.set(file.fileId, file);
    return file;
  }

  /** The file, if `vendorId` holds it and it has not expired. */
  get(vendorId: string, fileId: string, now = Date.now()): UploadedFile | undefined {
    const file = this.#byVendor.get(vendorId)?.get(fileId);
    return file !== undefined && file.expiresAt > now ? file : undefined;
  }

  /** Uploads to `vendorId` so far, optionally of one image (by its SHA-256, hex). */
  count(vendorId: string, sha256?: string): number {
    const files = [...(this.#byVendor.get(vendorId)?.values() ?? [])];
    return sha256 === undefined ? files.length : files.filter((file) => file.sha256 === sha256).length;
  }

  reset(): void {
    this.#byVendor.clear();
  }
}
