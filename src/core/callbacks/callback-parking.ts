import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../observability/logger.ts';
import type { ParkedRecord, ScheduleStore } from '../../ports/schedule-store.ts';
import type { OutgoingRecord } from '../../ports/transport.ts';
import { batchId, type CallbackRecord, decodeCallbackRecord } from './callback-event.ts';
import { callbacksRetryTopic } from './callback-topics.ts';

/** The schedule store's queue of callback batches waiting for a later attempt. */
export const CALLBACKS_QUEUE = 'herald.callbacks.retry';

/**
 * A retry record parked until its attempt is due. Its id is the batch's webhook-id and attempt, so
 * the same record read twice (redelivered after a crash) parks once.
 */
export function parkedCallback(callback: CallbackRecord, value: string): ParkedRecord {
  return {
    queue: CALLBACKS_QUEUE,
    id: `${callback.clientId}:${batchId(callback.events)}:${callback.attempt}`,
    dueAt: callback.notBefore ?? 0,
    value,
  };
}

export interface CallbackReleaserOptions {
  readonly store: Pick<ScheduleStore, 'claimDue' | 'remove'>;
  readonly produce: (records: readonly OutgoingRecord[]) => Promise<void>;
  readonly now: () => number;
  readonly logger: Logger;
  /** Records per claim. Default 500. */
  readonly batchSize?: number;
  /** How long a claim hides its records from another process's releaser. Default 60 s. */
  readonly leaseMs?: number;
  /** Pause between looks at the store when nothing is due. Default 500 ms. */
  readonly idleMs?: number;
}

const MAX_BACKOFF_MS = 5_000;

/** Back on the retry topic, keyed by its client as every callback record is (one partition each). */
function retryRecordOf(parked: ParkedRecord): OutgoingRecord {
  const clientId = decodeCallbackRecord(parked.value)?.clientId ?? parked.id;
  return { topic: callbacksRetryTopic(), key: clientId, value: parked.value };
}

/**
 * Brings parked callback batches back to herald.callbacks.retry when their attempt is due: claim,
 * produce (acknowledged), then remove. A crash or an outage between leaves them parked, and the
 * lease lapses so they are claimed again: at least once, and the receiver dedups by webhook-id.
 */
export class CallbackReleaser {
  readonly #options: Required<CallbackReleaserOptions>;
  readonly #stop = new AbortController();
  #running: Promise<void> | undefined;

  constructor(options: CallbackReleaserOptions) {
    this.#options = { batchSize: 500, leaseMs: 60_000, idleMs: 500, ...options };
  }

  start(): void {
    this.#running ??= this.#run();
  }

  /** Stops claiming; a batch being released finishes first. */
  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#running;
  }

  async #run(): Promise<void> {
    const { store, produce, now, logger, batchSize, leaseMs, idleMs } = this.#options;
    const signal = this.#stop.signal;
    let backoffMs = 0;
    while (!signal.aborted) {
      let released = 0;
      try {
        const claimed = await store.claimDue(CALLBACKS_QUEUE, now(), batchSize, leaseMs);
        if (claimed.length > 0) {
          await produce(claimed.map(retryRecordOf));
          await store.remove(claimed);
        }
        released = claimed.length;
        backoffMs = 0;
      } catch (error) {
        backoffMs = Math.min(Math.max(backoffMs * 2, 100), MAX_BACKOFF_MS);
        logger.warn({ err: error, backoffMs }, 'parked callbacks not released; they stay parked');
      }
      // A full claim: more may be due at once. Otherwise wait before looking again.
      if (released < batchSize || backoffMs > 0) {
        await sleep(backoffMs || idleMs, undefined, { signal }).catch(() => {});
      }
    }
  }
}
