/**
 * Vendor rate port: paces sends to a vendor to the rate its contract allows (`maxPerSecond` of its
 * settings in the remote config), one token per message, so a bulk call of 500 recipients takes
 * 500. Production keeps the buckets in Redis, so every worker process of a lane shares one rate;
 * the embedded default keeps them in this process.
 *
 * Each bucket holds at most one second's worth of tokens (the burst) and refills at the rate. A
 * call carrying more messages than the burst waits for a full bucket, then runs it into debt, so
 * the calls after it wait for the messages it carried.
 *
 * Deliberately left out: which vendor a message goes to (routing), what a bucket's name means (the
 * lane worker scopes it by lane), and the store's connection. An adapter never fails because its
 * store does: it falls back to a bucket of its own at the full rate and says so through a callback.
 */
export interface VendorRate {
  /**
   * Resolves when `messages` sends to `bucket` may go now, at `ratePerSecond` shared by every
   * process of the deployment; callers of one bucket are served in the order they came. Rejects
   * with the signal's reason when `signal` aborts first, having taken nothing.
   */
  acquire(bucket: string, messages: number, ratePerSecond: number, signal: AbortSignal): Promise<void>;
  close(): Promise<void>;
}
