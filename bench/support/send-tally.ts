/** What one sender run achieved, summarised in the sender's process (only this crosses to the bench). */
export interface TallySummary {
  readonly succeeded: number;
  readonly failed: number;
  /** Failures by the sender's own error code (a firebase-admin code, or a HERALD_* code). */
  readonly failures: Readonly<Record<string, number>>;
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number };
}

/**
 * Outcome and latency of every message of a run. A failed send counts against its sender: the
 * bench reports successes, and the rate is successes per second.
 */
export class SendTally {
  #latencies: Float64Array;
  #count = 0;
  #succeeded = 0;
  #failures = new Map<string, number>();

  constructor(capacity: number) {
    this.#latencies = new Float64Array(capacity);
  }

  succeeded(latencyMs: number): void {
    this.#succeeded += 1;
    this.#record(latencyMs);
  }

  failed(code: string, latencyMs: number): void {
    this.#failures.set(code, (this.#failures.get(code) ?? 0) + 1);
    this.#record(latencyMs);
  }

  summary(): TallySummary {
    const sorted = this.#latencies.slice(0, this.#count).sort();
    return {
      succeeded: this.#succeeded,
      failed: this.#count - this.#succeeded,
      failures: Object.fromEntries(this.#failures),
      latencyMs: {
        p50: nearestRank(sorted, 50),
        p99: nearestRank(sorted, 99),
        max: sorted.at(-1) ?? Number.NaN,
      },
    };
  }

  #record(latencyMs: number): void {
    if (this.#count >= this.#latencies.length) throw new Error('SendTally: more outcomes than messages');
    this.#latencies[this.#count++] = latencyMs;
  }
}

/** Nearest-rank percentile of an ascending array; NaN when empty. */
export function nearestRank(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
