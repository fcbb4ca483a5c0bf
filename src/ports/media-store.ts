/**
 * Media store port: the bytes of MMS images, between the API that takes them and the lane worker
 * that hands them to a vendor. Envelopes carry only a reference (sha256, file name, size), so a
 * message on the transport, the retry topic or a night queue stays small whatever its images.
 *
 * Content-addressed: an image is stored once under the SHA-256 of its bytes, however many messages
 * and requests carry it (a campaign's 100 recipients share one row). Each put names how long the
 * image must stay (the message's expiry plus a margin); a later put of the same bytes can only
 * lengthen that, never shorten it, so a purge never takes an image a queued message still needs.
 *
 * Leaves out on purpose: listing, deleting one image (purge is by time only), file names (they
 * belong to the message: two clients may name the same bytes differently) and any driver type.
 */
export interface MediaToStore {
  /** SHA-256 of `content`, lower-case hex. The store trusts it (the API computed it). */
  readonly sha256: string;
  readonly content: Uint8Array;
}

export interface MediaStore {
  /** Stores each image unless present; keeps every one at least until `keepUntil` (epoch ms). */
  put(images: readonly MediaToStore[], keepUntil: number): Promise<void>;
  /** The bytes, or undefined when the image was never stored or has been purged. */
  get(sha256: string): Promise<Uint8Array | undefined>;
  /** Deletes the images whose keep-until time is before `now`; returns how many went. */
  purgeExpired(now: number): Promise<number>;
  healthy(): Promise<boolean>;
  close(): Promise<void>;
}
