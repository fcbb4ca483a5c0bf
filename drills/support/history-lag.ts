/** The history writer's lag gauge (src/observability/metrics.ts). */
const LAG_METRIC = 'herald_history_lag_seconds';

/** herald_history_lag_seconds of a process running the history writer, read from its /metrics. */
export async function scrapeHistoryLag(url: string): Promise<number> {
  const response = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(2_000) });
  const text = await response.text();
  const line = text.split('\n').find((l) => l.startsWith(`${LAG_METRIC} `));
  return line ? Number(line.slice(LAG_METRIC.length + 1)) : Number.NaN;
}

export interface LagSampler {
  /** Highest lag read so far, s (0 before the first reading). */
  readonly max: number;
  stop(): void;
}

/**
 * Reads the history lag every `everyMs` and keeps the highest. A reading that fails (the writer
 * killed, its successor not yet up) is skipped: the drill's point is what the writers reached.
 */
export function sampleHistoryLag(read: () => Promise<number>, everyMs = 500): LagSampler {
  let max = 0;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    read()
      .then((lag) => {
        if (Number.isFinite(lag)) max = Math.max(max, lag);
      })
      .catch(() => {})
      .finally(() => {
        busy = false;
      });
  }, everyMs);
  // Never what keeps the drill's process alive (a drill that throws does not stop it).
  timer.unref();
  return {
    get max() {
      return max;
    },
    stop: () => clearInterval(timer),
  };
}
