/** What a simulator process counts per vendor (GET /_sim/stats). */
export interface VendorCounts {
  readonly received: number;
  readonly distinct: number;
  readonly duplicates: number;
  readonly idempotentReplays: number;
  /** Send calls; a bulk call carrying many messages is one. */
  readonly calls: number;
}

/** The default config's SMS vendors (NHN Cloud, NAVER Cloud SENS, SOLAPI at the simulator). */
export const SMS_VENDORS = ['nhn-sms', 'sens-sms', 'solapi-sms'] as const;

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
    calls: sum('calls'),
  };
}
