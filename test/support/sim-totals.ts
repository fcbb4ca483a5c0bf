/** What a simulator process counts per vendor (GET /_sim/stats). */
export interface VendorCounts {
  readonly received: number;
  readonly distinct: number;
  readonly duplicates: number;
  readonly idempotentReplays: number;
}

export const SMS_VENDORS = ['sim-sms-a', 'sim-sms-b', 'sim-sms-c'] as const;

/**
 * The counts of a simulator running as its own process, summed over `vendors` (every vendor when
 * omitted): what tests and drills compare against herald's history to prove "delivered once".
 */
export async function simulatorTotals(simUrl: string, vendors?: readonly string[]): Promise<VendorCounts> {
  const body = (await (await fetch(`${simUrl}/_sim/stats`)).json()) as {
    vendors: Record<string, VendorCounts>;
  };
  const chosen = vendors ? vendors.map((id) => body.vendors[id]!) : Object.values(body.vendors);
  const sum = (field: keyof VendorCounts) => chosen.reduce((n, counts) => n + (counts[field] ?? 0), 0);
  return {
    received: sum('received'),
    distinct: sum('distinct'),
    duplicates: sum('duplicates'),
    idempotentReplays: sum('idempotentReplays'),
  };
}
