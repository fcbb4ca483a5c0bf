import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * herald's metrics, one registry per running instance (never prom-client's global default, so two
 * instances in one test process do not share counters). Exposed in Prometheus text at /metrics.
 */
export class HeraldMetrics {
  readonly registry = new Registry();

  readonly outcomes = new Counter({
    name: 'herald_messages_total',
    help: 'Messages that reached a state, by lane, channel, status and vendor',
    labelNames: ['lane', 'channel', 'status', 'vendor'] as const,
    registers: [this.registry],
  });

  readonly dedupFailOpen = new Counter({
    name: 'herald_dedup_fail_open_total',
    help: 'Messages sent without the dedup check because the dedup store was unreachable',
    labelNames: ['lane'] as const,
    registers: [this.registry],
  });

  readonly idempotencyFailOpen = new Counter({
    name: 'herald_idempotency_fail_open_total',
    help: 'Requests with an Idempotency-Key accepted without their idempotency record (store unreachable)',
    registers: [this.registry],
  });

  readonly vendorLatency = new Histogram({
    name: 'herald_vendor_call_seconds',
    help: 'Duration of vendor calls, by vendor and outcome',
    labelNames: ['vendor', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly inFlight = new Gauge({
    name: 'herald_lane_in_flight',
    help: 'Records taken from the transport and not yet finished, by lane',
    labelNames: ['lane'] as const,
    registers: [this.registry],
  });

  readonly commits = new Counter({
    name: 'herald_offset_commits_total',
    help: 'Offset commits sent to the transport, by consumer group',
    labelNames: ['group'] as const,
    registers: [this.registry],
  });

  readonly poisonRecords = new Counter({
    name: 'herald_poison_records_total',
    help: 'Records that could not be parsed as a message envelope and were skipped',
    labelNames: ['topic'] as const,
    registers: [this.registry],
  });

  /** Current value of a counter, summed over labels matching `labels` (tests and drills). */
  async count(metric: Counter<string>, labels: Record<string, string> = {}): Promise<number> {
    const { values } = await metric.get();
    return values
      .filter((value) => Object.entries(labels).every(([k, v]) => value.labels[k] === v))
      .reduce((sum, value) => sum + value.value, 0);
  }
}
