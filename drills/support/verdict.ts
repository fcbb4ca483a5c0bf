import type { DeliveryTally } from './drill-simulator.ts';

/** The one line a drill prints, and whether a promise of DESIGN.md ("Failure behaviour") broke. */
export interface Verdict {
  readonly drill: string;
  /** Messages herald answered 202 for. */
  readonly accepted: number;
  /** Accepted messages a vendor delivered at least once. */
  readonly sent: number;
  /** Accepted messages no vendor ever delivered. */
  readonly lost: number;
  /** Vendor calls for a message already delivered or already seen (idempotent replays included). */
  readonly vendorDuplicates: number;
  /** Deliveries beyond the first of one message, across vendors: what a recipient would see twice. */
  readonly endUserDuplicates: number;
  /** What was in flight when the fault hit (the drill says what it counts). */
  readonly inFlightAtFault: string;
  /** What came back, in words with figures. */
  readonly recovered: string;
  /** Raw figures behind the line, for tests (e.g. victimCalls). */
  readonly figures?: Readonly<Record<string, number>>;
  /** Each broken promise, in words; empty when every promise held. */
  readonly broken: readonly string[];
}

export function formatVerdict(v: Verdict): string {
  const status = v.broken.length === 0 ? 'PASS' : `FAIL (${v.broken.join('; ')})`;
  return (
    `drill ${v.drill}: ${status} | accepted ${v.accepted}, sent ${v.sent}, lost ${v.lost}, ` +
    `vendor duplicates ${v.vendorDuplicates}, end-user duplicates ${v.endUserDuplicates}, ` +
    `in flight at the fault ${v.inFlightAtFault} | recovered: ${v.recovered}`
  );
}

/** The delivery fields of a verdict, from the simulator's tally of the accepted messages. */
export function deliveryFields(
  tally: DeliveryTally,
): Pick<Verdict, 'sent' | 'lost' | 'vendorDuplicates' | 'endUserDuplicates'> {
  return {
    sent: tally.sent,
    lost: tally.lost,
    vendorDuplicates: tally.vendorDuplicates,
    endUserDuplicates: tally.endUserDuplicates,
  };
}

/** Options every drill takes. */
export interface DrillOptions {
  /** Messages in the flood (20k for a drill, 2k with --quick). */
  readonly messages: number;
  /** How long a fault lasts, ms (30 s for a drill, scaled down with --quick). */
  readonly outageMs: number;
  /** Progress lines go here (stderr for the runner, nothing in tests). */
  readonly log: (line: string) => void;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
