import type { ReceiptCounts } from '../../src/simulators/text/receipt-tally.ts';
import type { TestResponse } from './herald-harness.ts';

/** delivered/undelivered counts per carrier (SKT, KT, LGU+, MVNO, unknown), zeros left out. */
export interface CarrierFigures {
  readonly delivered: Readonly<Record<string, number>>;
  readonly undelivered: Readonly<Record<string, number>>;
}

type Call = (method: string, path: string) => Promise<TestResponse>;

interface StatsGroup {
  readonly key: string;
  readonly statuses: { readonly delivered: number; readonly undelivered: number };
}

/**
 * GET /admin/stats over `[from, to)`, for each of `channels`, grouped `by`: the delivered and
 * undelivered counts per group key, added up across the channels (an AlimTalk's fallback SMS is an
 * `sms` message, counted there).
 */
export async function statsFigures(
  call: Call,
  options: { from: Date; to: Date; channels: readonly string[]; by: 'carrier' | 'vendor' },
): Promise<CarrierFigures> {
  const delivered: Record<string, number> = {};
  const undelivered: Record<string, number> = {};
  for (const channel of options.channels) {
    const query = new URLSearchParams({
      from: options.from.toISOString(),
      to: options.to.toISOString(),
      channel,
      by: options.by,
    });
    const response = await call('GET', `/admin/stats?${query}`);
    if (response.status !== 200)
      throw new Error(`GET /admin/stats: ${response.status} ${JSON.stringify(response.body)}`);
    if (response.body.groupsLeftOff !== 0) throw new Error('GET /admin/stats left groups off');
    for (const group of response.body.groups as StatsGroup[]) {
      add(delivered, group.key, group.statuses.delivered);
      add(undelivered, group.key, group.statuses.undelivered);
    }
  }
  return { delivered, undelivered };
}

/**
 * The simulators' own receipt tallies (`GET /_sim/stats` -> receipts), per carrier summed over
 * `vendors`, or (`by: 'vendor'`) per vendor summed over carriers.
 */
export function simulatorFigures(
  receipts: Readonly<Record<string, ReceiptCounts>>,
  vendors: readonly string[],
  by: 'carrier' | 'vendor',
): CarrierFigures {
  const delivered: Record<string, number> = {};
  const undelivered: Record<string, number> = {};
  for (const vendor of vendors) {
    const counts = receipts[vendor];
    if (counts === undefined) continue;
    for (const [carrier, n] of Object.entries(counts.delivered))
      add(delivered, by === 'carrier' ? carrier : vendor, n ?? 0);
    for (const [carrier, n] of Object.entries(counts.undelivered))
      add(undelivered, by === 'carrier' ? carrier : vendor, n ?? 0);
  }
  return { delivered, undelivered };
}

/** Sum of delivered and undelivered over every key. */
export function receiptTotal(figures: CarrierFigures): number {
  const sum = (side: Readonly<Record<string, number>>) => Object.values(side).reduce((n, v) => n + v, 0);
  return sum(figures.delivered) + sum(figures.undelivered);
}

/** One line per key: `KEY  herald delivered/undelivered  simulators delivered/undelivered`. */
export function figuresTable(herald: CarrierFigures, simulators: CarrierFigures): string[] {
  const keys = [
    ...new Set([
      ...Object.keys(herald.delivered),
      ...Object.keys(herald.undelivered),
      ...Object.keys(simulators.delivered),
      ...Object.keys(simulators.undelivered),
    ]),
  ].sort();
  const cell = (f: CarrierFigures, key: string) => `${f.delivered[key] ?? 0}/${f.undelivered[key] ?? 0}`;
  return [
    `${'key'.padEnd(12)}${'herald d/u'.padEnd(16)}simulators d/u`,
    ...keys.map((key) => `${key.padEnd(12)}${cell(herald, key).padEnd(16)}${cell(simulators, key)}`),
  ];
}

function add(into: Record<string, number>, key: string, n: number): void {
  if (n === 0) return;
  into[key] = (into[key] ?? 0) + n;
}
