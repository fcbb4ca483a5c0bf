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

  /**
   * Where an accepted request's time went in the API (core/submission/accept-stages.ts): checking
   * and rendering its recipients, content dedup claims, and queueing (one produce of the request's
   * history record and its messages, and meanwhile the request remembered for read-your-writes).
   * The queue's two round trips are also timed each on its own (queue:produce, queue:remember).
   */
  readonly acceptStages = new Histogram({
    name: 'herald_accept_stage_seconds',
    help: "Time an accepted request spent in each stage of the API (checks, dedup, queue; and the queue stage's two overlapping round trips queue:produce and queue:remember), by its recipients (1, 2-10, 11-100)",
    labelNames: ['stage', 'recipients'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly vendorRateWait = new Histogram({
    name: 'herald_vendor_rate_wait_seconds',
    help: "Time a vendor call waited for its vendor's rate (maxPerSecond) before taking a send slot, by lane and vendor",
    labelNames: ['lane', 'vendor'] as const,
    buckets: [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  readonly vendorRateFallback = new Counter({
    name: 'herald_vendor_rate_fallback_total',
    help: "Vendor rate takes made with this process's own bucket because Redis failed (the rate is then per process)",
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

  readonly remoteConfigRefused = new Counter({
    name: 'herald_remote_config_refused_total',
    help: 'Remote config versions read from the store and refused by validation (the last good one stays)',
    registers: [this.registry],
  });

  readonly rateLimited = new Counter({
    name: 'herald_rate_limited_total',
    help: 'API calls refused with 429, by limit (requests, recipients, failed-auth)',
    labelNames: ['limit'] as const,
    registers: [this.registry],
  });

  readonly rateLimitFallback = new Counter({
    name: 'herald_rate_limit_fallback_total',
    help: "Rate-limit decisions made with this process's own counters because Redis failed",
    registers: [this.registry],
  });

  readonly scheduleParked = new Counter({
    name: 'herald_schedule_parked_total',
    help: 'Records parked in the schedule store to wait for their time, by lane and queue (retry, night-ad)',
    labelNames: ['lane', 'queue'] as const,
    registers: [this.registry],
  });

  readonly scheduleReleased = new Counter({
    name: 'herald_schedule_released_total',
    help: 'Records released from the schedule store, by lane, queue and outcome (dispatched, expired, refused)',
    labelNames: ['lane', 'queue', 'outcome'] as const,
    registers: [this.registry],
  });

  /** Where the history writer runs, how far history is behind its log (measureHistoryLag). */
  #historyLagSource: (() => number) | undefined;

  readonly historyLag: Gauge = new Gauge({
    name: 'herald_history_lag_seconds',
    help: 'Age of the oldest history log record read and not yet applied to the history store (0: caught up)',
    registers: [this.registry],
    collect: () => {
      if (this.#historyLagSource) this.historyLag.set(this.#historyLagSource());
    },
  });

  /** The history writer tells the lag gauge where to read it, at each scrape. */
  measureHistoryLag(source: () => number): void {
    this.#historyLagSource = source;
  }

  readonly historyApplied = new Counter({
    name: 'herald_history_changes_applied_total',
    help: 'History log records (a request, a batch of events, of device messages) applied to the history store',
    registers: [this.registry],
  });

  readonly historyApplyErrors = new Counter({
    name: 'herald_history_apply_errors_total',
    help: 'Failed applies of the history log (store unreachable); the stretch waits and is tried again',
    registers: [this.registry],
  });

  readonly scheduleWaiting = new Gauge({
    name: 'herald_schedule_waiting',
    help: 'Records waiting in the schedule store, by lane and queue (refreshed every 15 s by the retry worker)',
    labelNames: ['lane', 'queue'] as const,
    registers: [this.registry],
  });

  readonly scheduleErrors = new Counter({
    name: 'herald_schedule_errors_total',
    help: 'Failed schedule operations (store or opt-out list unreachable); the records wait and are tried again',
    labelNames: ['lane', 'operation'] as const,
    registers: [this.registry],
  });

  readonly vendorCalls = new Counter({
    name: 'herald_vendor_calls_total',
    help: 'Vendor send calls by lane and vendor; a bulk call (batch and ad lanes) carries many messages, so calls per message is this over herald_messages_total',
    labelNames: ['lane', 'vendor'] as const,
    registers: [this.registry],
  });

  readonly sendsAbandoned = new Counter({
    name: 'herald_sends_abandoned_total',
    help: 'Vendor attempts cut off by a shutdown after its drain grace; their records are redelivered',
    labelNames: ['lane'] as const,
    registers: [this.registry],
  });

  readonly pushTokensDead = new Counter({
    name: 'herald_push_tokens_dead_total',
    help: 'Device tokens the push service called dead (FCM UNREGISTERED, APNs 410), marked dead in the registry, by provider',
    labelNames: ['provider'] as const,
    registers: [this.registry],
  });

  readonly pushUserExpansions = new Counter({
    name: 'herald_push_user_expansions_total',
    help: 'Pushes to a user resolved through the device registry, by outcome (expanded, no-devices, unresolved)',
    labelNames: ['lane', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly deliveryChecks = new Counter({
    name: 'herald_delivery_checks_total',
    help: "Look-ups of a vendor's result for a sent AlimTalk message, by outcome (pending, delivered, undelivered, error, gave-up)",
    labelNames: ['lane', 'vendor', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly alimtalkFallbacks = new Counter({
    name: 'herald_alimtalk_fallbacks_total',
    help: 'Undelivered AlimTalk messages, by what became of them: sms or lms (a fallback message queued), none (no fallback possible)',
    labelNames: ['lane', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly handlerFailures = new Counter({
    name: 'herald_worker_handler_failures_total',
    help: 'Polled batches whose handler threw, by worker; outcome: retried (records handed to retry) or stuck',
    labelNames: ['worker', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly callbacks = new Counter({
    name: 'herald_callbacks_total',
    help: 'Status-callback events by outcome: sent (a 2xx), failed (a POST failed), retried (scheduled again), paused (kept for a paused receiver), dead (given up after the retry window), dropped (no webhook any more)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly callbackPosts = new Counter({
    name: 'herald_callback_posts_total',
    help: 'Status-callback POSTs, by result: 2xx, 3xx, 4xx, 5xx, or the network or policy error',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly callbacksPaused = new Counter({
    name: 'herald_callback_receivers_paused_total',
    help: 'Times a webhook receiver was paused after failing for callbacks.pauseAfterMs',
    registers: [this.registry],
  });

  readonly receipts = new Counter({
    name: 'herald_receipts_total',
    help: 'Delivery receipts applied to their message, by vendor, channel, carrier, state (delivered, undelivered) and source (webhook, lookup, timeout)',
    labelNames: ['vendor', 'channel', 'carrier', 'state', 'source'] as const,
    registers: [this.registry],
  });

  readonly receiptsUnmatched = new Counter({
    name: 'herald_receipts_unmatched_total',
    help: 'Receipts that matched no message, by vendor and outcome: retried (tried again later) or kept (on herald.receipts.unmatched)',
    labelNames: ['vendor', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly receiptsLate = new Counter({
    name: 'herald_receipts_late_total',
    help: 'Receipts for a message already final (failed, expired, a timed-out receipt...): recorded as an event, the state kept',
    labelNames: ['vendor'] as const,
    registers: [this.registry],
  });

  readonly receiptsDuplicate = new Counter({
    name: 'herald_receipts_duplicate_total',
    help: 'Receipts repeating the state their message already has (a webhook and a look-up, a redelivery): not recorded again',
    labelNames: ['vendor'] as const,
    registers: [this.registry],
  });

  readonly deliveryLatency = new Histogram({
    name: 'herald_delivery_latency_seconds',
    help: "From the vendor's acceptance (sent) to the vendor's delivery time, by vendor, channel and carrier (look-up receipts: webhooks do not carry the sent time)",
    labelNames: ['vendor', 'channel', 'carrier'] as const,
    buckets: [1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 4 * 3600, 25 * 3600, 80 * 3600],
    registers: [this.registry],
  });

  readonly vendorResultCodes = new Counter({
    name: 'herald_vendor_result_codes_total',
    help: "Vendors' own result codes in receipts, by vendor; codes past the first 50 a vendor reported count as `other`",
    labelNames: ['vendor', 'code'] as const,
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
