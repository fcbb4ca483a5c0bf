import type { DeliveryCheck } from '../../../src/ports/vendor.ts';
import type { ReceiptCounts } from '../../../src/simulators/text/receipt-tally.ts';

/** What an adapter's look-ups reported, counted the way the simulator's receipt tally counts. */
export function tallyOf(checks: Iterable<DeliveryCheck>): ReceiptCounts {
  const delivered: Record<string, number> = {};
  const undelivered: Record<string, number> = {};
  for (const check of checks) {
    if (check.state === 'pending') continue;
    const side = check.state === 'delivered' ? delivered : undelivered;
    const carrier = check.carrier ?? 'unknown';
    side[carrier] = (side[carrier] ?? 0) + 1;
  }
  return { delivered, undelivered };
}
