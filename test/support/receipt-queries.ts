import type { ReceiptQuery, VendorCall } from '../../src/ports/vendor.ts';

/** The ids as a look-up's queries, all sent at `sentAt` (herald's clock). */
export function queriesOf(ids: readonly string[], sentAt = Date.now()): ReceiptQuery[] {
  return ids.map((vendorMessageId) => ({ vendorMessageId, sentAt }));
}

/**
 * A VendorCall without the lane's pacer or pool: each request runs at once under a fresh signal
 * (its own time limit, as the lane gives each request), and is counted.
 */
export function countingCall(signal: () => AbortSignal): VendorCall & { readonly requests: () => number } {
  let requests = 0;
  const call = <T>(request: (signal: AbortSignal) => Promise<T>) => {
    requests += 1;
    return request(signal());
  };
  return Object.assign(call, { requests: () => requests });
}
