import type { Logger } from '../../observability/logger.ts';
import type { HeraldMetrics } from '../../observability/metrics.ts';
import type { ScheduleStore } from '../../ports/schedule-store.ts';
import type { Transport, TransportRecord } from '../../ports/transport.ts';
import type { StoredWebhook, WebhookStore } from '../../ports/webhook-store.ts';
import type { RemoteConfigDocument } from '../domain/remote-config.ts';
import { BatchingWriter } from '../pipeline/batching-writer.ts';
import { parkDurably } from '../pipeline/park-durably.ts';
import { type ConsumerStatus, PollLoop } from '../pipeline/poll-loop.ts';
import type { PostOutcome } from './callback-client.ts';
import { batchId, type CallbackRecord, decodeCallbackRecord } from './callback-event.ts';
import { CallbackReleaser, parkedCallback } from './callback-parking.ts';
import { callbackSettings, type ResolvedCallbackSettings, retryDelayMs } from './callback-settings.ts';
import { callbacksDeadTopic, callbacksRetryTopic, callbacksTopic } from './callback-topics.ts';
import type { SecretBox } from './secret-box.ts';
import { type SignedHeaders, signWebhook } from './webhook-signing.ts';

export interface CallbacksWorkerDeps {
  readonly transport: Pick<Transport, 'consumer' | 'produce'>;
  /**
   * Where retries due later than `holdInMemoryMs` wait (callback-parking.ts), as the retry workers'
   * do. Absent: every retry is held in memory, its offset uncommitted (tests of one process).
   */
  readonly schedule?: Pick<ScheduleStore, 'park' | 'claimDue' | 'remove'>;
  /** Retries due within this are held on a timer instead of parked. Default 10 s. */
  readonly holdInMemoryMs?: number;
  readonly webhooks: Pick<WebhookStore, 'get' | 'recordDelivery'>;
  readonly box: Pick<SecretBox, 'open'>;
  readonly client: {
    post(url: string, body: string, headers: SignedHeaders, signal?: AbortSignal): Promise<PostOutcome>;
  };
  readonly config: () => RemoteConfigDocument;
  readonly metrics: HeraldMetrics;
  readonly logger: Logger;
  readonly now?: () => number;
}

/** One record read: its events, and the record to finish once they are done with. */
interface Unit {
  readonly record: TransportRecord;
  readonly callback: CallbackRecord;
}

/**
 * Delivers status callbacks: reads herald.callbacks and its retry topic (own consumer group),
 * groups what is due by client into POSTs of up to `batchSize` events, signs each (Standard
 * Webhooks; during a rotation with both secrets) and POSTs it with a hard time limit.
 *
 * - A 2xx finishes the records. Anything else (status, network error, time-out, a refused address)
 *   is recorded on the webhook (lastError, failingSince) and the batch goes to the retry topic with
 *   the next attempt and its not-before time (exponential backoff); a batch older than
 *   `giveUpAfterMs` goes to herald.callbacks.dead instead (counted, kept).
 * - A receiver failing for `pauseAfterMs` is paused (by the store's fold): its events are kept,
 *   cycling through the retry topic every `pausedRecheckMs` without counting attempts, until a
 *   resume or re-registration makes it active (then they go out) or the window ends (dead).
 * - A retry due within seconds is held on a timer with its offset uncommitted, so a crash re-reads
 *   it; a later one is parked in the schedule store and released back to the retry topic when due,
 *   so one client's receiver failing for hours never fills the consumer's window and holds back
 *   every other client's callbacks. Nothing is finished before the record that replaces it is
 *   durable: at least once, and the webhook-id of a batch is the same on every attempt.
 * The lanes never wait for any of this: they only produce to herald.callbacks.
 */
export class CallbacksWorker {
  readonly #deps: CallbacksWorkerDeps;
  readonly #now: () => number;
  readonly #loop: PollLoop;
  readonly #produce: BatchingWriter<{ topic: string; key: string; value: string }>;
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #logger: Logger;
  readonly #holdMs: number;
  readonly #releaser: CallbackReleaser | undefined;
  readonly #stop = new AbortController();

  constructor(deps: CallbacksWorkerDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
    this.#holdMs = deps.holdInMemoryMs ?? 10_000;
    this.#logger = deps.logger.child({ worker: 'callbacks' });
    this.#releaser =
      deps.schedule &&
      new CallbackReleaser({
        store: deps.schedule,
        produce: (records) => deps.transport.produce(records),
        now: this.#now,
        logger: this.#logger,
      });
    this.#produce = new BatchingWriter({
      flush: (records) => deps.transport.produce(records),
      onFlushError: (error, items) =>
        this.#logger.warn({ err: error, items }, 'callback retry produce failed'),
    });
    this.#loop = new PollLoop({
      name: 'callbacks',
      group: 'herald-callbacks',
      topics: [callbacksTopic(), callbacksRetryTopic()],
      transport: deps.transport,
      metrics: deps.metrics,
      logger: this.#logger,
      config: deps.config,
      limits: () => ({ batchSize: 500, maxInFlight: 20_000 }),
      handle: (records, finish, signal) => this.#handle(records, finish, signal),
    });
  }

  status(): ConsumerStatus {
    return this.#loop.status();
  }

  async start(): Promise<void> {
    await this.#loop.start();
    this.#releaser?.start();
  }

  /** Held retries are not waited for: their offsets stay uncommitted and are read again at start. */
  async stop(graceMs = 2_000): Promise<void> {
    this.#stop.abort();
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    await this.#releaser?.stop();
    await this.#loop.stop(graceMs);
    await this.#produce.drain();
  }

  async #handle(
    records: readonly TransportRecord[],
    finish: (record: TransportRecord) => void,
    signal: AbortSignal,
  ): Promise<void> {
    const now = this.#now();
    const due = new Map<string, Unit[]>();
    const parking: Unit[] = [];
    for (const record of records) {
      const callback = decodeCallbackRecord(record.value);
      if (!callback) {
        this.#deps.metrics.poisonRecords.inc({ topic: record.topic });
        finish(record);
        continue;
      }
      const unit = { record, callback };
      const waitMs = (callback.notBefore ?? 0) - now;
      if (waitMs > this.#holdMs && this.#deps.schedule) parking.push(unit);
      else if (waitMs > 0) this.#hold(unit, finish, signal);
      else {
        const units = due.get(callback.clientId);
        if (units) units.push(unit);
        else due.set(callback.clientId, [unit]);
      }
    }
    await Promise.all([
      ...[...due].map(([clientId, units]) => this.#deliver(clientId, units, finish, signal)),
      parking.length > 0 ? this.#park(parking, finish) : undefined,
    ]);
  }

  /** Parks retries due later; each record is finished once the store has it durably. */
  async #park(units: readonly Unit[], finish: (record: TransportRecord) => void): Promise<void> {
    const parked = units.map(({ record, callback }) => parkedCallback(callback, record.value));
    const durable = await parkDurably(this.#deps.schedule!, parked, this.#stop.signal, (error, backoffMs) =>
      this.#logger.warn(
        { err: error, records: parked.length, backoffMs },
        'schedule store unavailable; callback retries stay on the retry topic, uncommitted',
      ),
    );
    if (!durable) return;
    for (const { record } of units) finish(record);
  }

  #hold(unit: Unit, finish: (record: TransportRecord) => void, signal: AbortSignal): void {
    const timer = setTimeout(
      () => {
        this.#timers.delete(timer);
        this.#deliver(unit.callback.clientId, [unit], finish, signal).catch((error: unknown) =>
          this.#logger.error({ err: error }, 'callback delivery failed'),
        );
      },
      Math.max(0, (unit.callback.notBefore ?? 0) - this.#now()),
    );
    this.#timers.add(timer);
  }

  async #deliver(
    clientId: string,
    units: readonly Unit[],
    finish: (record: TransportRecord) => void,
    signal: AbortSignal,
  ): Promise<void> {
    const settings = callbackSettings(this.#deps.config());
    let webhook: StoredWebhook | undefined;
    try {
      webhook = await this.#deps.webhooks.get(clientId);
    } catch (error) {
      // The store blinked: try the same records again shortly, attempts unchanged.
      this.#logger.warn({ err: error, clientId }, 'webhook store unavailable; callbacks rescheduled');
      await this.#reschedule(units, settings, settings.pausedRecheckMs, false);
      for (const unit of units) finish(unit.record);
      return;
    }
    if (!webhook) {
      this.#count('dropped', units);
      for (const unit of units) finish(unit.record);
      return;
    }
    for (const chunk of chunks(units, settings.batchSize)) {
      if (webhook.state === 'paused') {
        this.#count('paused', chunk);
        await this.#reschedule(chunk, settings, settings.pausedRecheckMs, false);
      } else {
        webhook = (await this.#post(webhook, chunk, settings, signal)) ?? webhook;
      }
      for (const unit of chunk) finish(unit.record);
    }
  }

  /** One POST; on failure records it and reschedules the chunk. Answers the webhook as now stored. */
  async #post(
    webhook: StoredWebhook,
    chunk: readonly Unit[],
    settings: ResolvedCallbackSettings,
    signal: AbortSignal,
  ): Promise<StoredWebhook | undefined> {
    const events = chunk.flatMap((unit) => unit.callback.events);
    const body = JSON.stringify({ events });
    const now = this.#now();
    const outcome = await this.#send(webhook, body, batchId(events), now, signal);
    this.#deps.metrics.callbackPosts.inc({ result: resultLabel(outcome) });
    if (outcome.ok) {
      this.#count('sent', chunk);
      if (webhook.failingSince === undefined) return webhook;
      return this.#record(webhook, { ok: true });
    }
    this.#count('failed', chunk);
    const error = {
      at: now,
      ...(outcome.status !== undefined && { status: outcome.status }),
      ...(outcome.error !== undefined && { error: outcome.error }),
    };
    const after = await this.#record(webhook, { ok: false, error, pauseAfterMs: settings.pauseAfterMs });
    const pausedNow = after?.state === 'paused';
    if (pausedNow && webhook.state === 'active') {
      this.#deps.metrics.callbacksPaused.inc();
      this.#logger.warn({ clientId: webhook.clientId, lastError: error }, 'webhook receiver paused');
    }
    const attempt = Math.max(...chunk.map((unit) => unit.callback.attempt)) + 1;
    const delay = pausedNow ? settings.pausedRecheckMs : retryDelayMs(settings, attempt);
    await this.#reschedule(chunk, settings, delay, true);
    return after;
  }

  async #send(
    webhook: StoredWebhook,
    body: string,
    id: string,
    now: number,
    signal: AbortSignal,
  ): Promise<PostOutcome> {
    let secrets: string[];
    try {
      secrets = [
        webhook.secret,
        ...(webhook.previousSecret && (webhook.previousUntil ?? 0) > now ? [webhook.previousSecret] : []),
      ].map((sealed) => this.#deps.box.open(sealed));
    } catch (error) {
      this.#logger.error(
        { err: error, clientId: webhook.clientId },
        'webhook secret cannot be opened (HERALD_WEBHOOK_KEY changed?)',
      );
      return { ok: false, error: 'SECRET_UNREADABLE' };
    }
    return this.#deps.client.post(webhook.url, body, signWebhook(id, now, body, secrets), signal);
  }

  async #record(
    webhook: StoredWebhook,
    health: Parameters<WebhookStore['recordDelivery']>[1],
  ): Promise<StoredWebhook | undefined> {
    try {
      return await this.#deps.webhooks.recordDelivery(webhook.clientId, health);
    } catch (error) {
      this.#logger.warn({ err: error, clientId: webhook.clientId }, 'webhook health not recorded');
      return webhook;
    }
  }

  /**
   * The chunk again, as one record on the retry topic (its batch and webhook-id stay the same from
   * here on), due after `delayMs`; or, past the retry window, on the dead topic.
   */
  async #reschedule(
    chunk: readonly Unit[],
    settings: ResolvedCallbackSettings,
    delayMs: number,
    attempted: boolean,
  ): Promise<void> {
    const now = this.#now();
    const first = chunk[0]!.callback;
    const attempt = Math.max(...chunk.map((unit) => unit.callback.attempt)) + (attempted ? 1 : 0);
    const firstAt = Math.min(...chunk.map((unit) => unit.callback.firstAt));
    const events = chunk.flatMap((unit) => unit.callback.events);
    const dead = now - firstAt >= settings.giveUpAfterMs;
    const record: CallbackRecord = dead
      ? { clientId: first.clientId, events, attempt, firstAt, reason: 'retry window ended' }
      : { clientId: first.clientId, events, attempt, firstAt, notBefore: now + delayMs };
    if (dead) {
      this.#count('dead', chunk);
      this.#logger.warn(
        { clientId: first.clientId, events: events.length },
        'callbacks given up after the retry window',
      );
    } else if (attempted) this.#count('retried', chunk);
    await this.#produce.write([
      {
        topic: dead ? callbacksDeadTopic() : callbacksRetryTopic(),
        key: first.clientId,
        value: JSON.stringify(record),
      },
    ]);
  }

  #count(outcome: string, units: readonly Unit[]): void {
    const events = units.reduce((sum, unit) => sum + unit.callback.events.length, 0);
    this.#deps.metrics.callbacks.inc({ outcome }, events);
  }
}

/**
 * Units in order, cut where the next would take a POST past `batchSize` events (a unit is never
 * split). A record from the retry topic is a batch already sent once: it goes alone, so its POST
 * carries the same events and webhook-id as before.
 */
function chunks(units: readonly Unit[], batchSize: number): Unit[][] {
  const result: Unit[][] = [];
  let current: Unit[] = [];
  let size = 0;
  for (const unit of units) {
    if (unit.record.topic !== callbacksTopic()) {
      result.push([unit]);
      continue;
    }
    const events = unit.callback.events.length;
    if (current.length > 0 && size + events > batchSize) {
      result.push(current);
      current = [];
      size = 0;
    }
    current.push(unit);
    size += events;
  }
  if (current.length > 0) result.push(current);
  return result;
}

function resultLabel(outcome: PostOutcome): string {
  if (outcome.status !== undefined) return `${Math.floor(outcome.status / 100)}xx`;
  return outcome.ok ? '2xx' : (outcome.error ?? 'error');
}
