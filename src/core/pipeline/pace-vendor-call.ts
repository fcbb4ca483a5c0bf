import type { VendorRate } from '../../ports/vendor-rate.ts';
import type { RouteChoice } from '../routing/vendor-router.ts';

/** What pacing needs of a send's context; absent `vendorRate`: no vendor is paced (tests, tools). */
export interface PaceContext {
  readonly vendorRate?: Pick<VendorRate, 'acquire'>;
  /** Told how long each paced call waited for its vendor's rate (herald_vendor_rate_wait_seconds). */
  readonly onRateWait?: (vendor: string, waitedMs: number) => void;
}

/**
 * Waits until the route's vendor may take `messages` more, when its settings have `maxPerSecond`.
 * Called before the send pool's slot is taken: a slot held while waiting would keep other vendors'
 * sends from going. And before the vendor's policy: the wait counts against neither its time limit
 * nor its breaker. Rejects when `signal` (the lane's shutdown) aborts first.
 */
export async function paceVendorCall(
  context: PaceContext,
  route: RouteChoice,
  messages: number,
  signal: AbortSignal,
): Promise<void> {
  const rate = route.settings.maxPerSecond;
  if (rate === undefined || context.vendorRate === undefined) return;
  const started = performance.now();
  await context.vendorRate.acquire(route.vendor.id, messages, rate, signal);
  context.onRateWait?.(route.vendor.id, performance.now() - started);
}

/**
 * A lane's view of the deployment's vendor rate: buckets named `<lane>:<vendor>`, so each lane
 * gets the vendor's `maxPerSecond` of its own, shared by that lane's processes. A real-time send
 * then never waits in line behind a batch flood of the same vendor (lane isolation).
 */
export function laneVendorRate(rate: VendorRate, lane: string): Pick<VendorRate, 'acquire'> {
  return {
    acquire: (vendor, messages, ratePerSecond, signal) =>
      rate.acquire(`${lane}:${vendor}`, messages, ratePerSecond, signal),
  };
}
