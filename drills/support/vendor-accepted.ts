/**
 * Whether a message's status says a vendor accepted it: `sent`, or, since text messages get
 * delivery receipts (docs/receipts.md), the `delivered` or `undelivered` a receipt moved it to.
 * Drills that waited for `sent` wait for any of these: a receipt may come before they look.
 */
export function vendorAccepted(status: string | undefined): boolean {
  return status === 'sent' || status === 'delivered' || status === 'undelivered';
}
