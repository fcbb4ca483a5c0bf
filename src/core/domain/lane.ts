/**
 * Lanes isolate traffic classes: each has its own topics, consumer group and concurrency budget,
 * so a batch or advertising flood never delays a real-time push.
 */
export const LANES = ['realtime', 'batch', 'ad'] as const;
export type Lane = (typeof LANES)[number];

export function isLane(value: unknown): value is Lane {
  return typeof value === 'string' && (LANES as readonly string[]).includes(value);
}
