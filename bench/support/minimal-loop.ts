import { randomUUID } from 'node:crypto';
import {
  Consumer,
  type Message,
  MessagesStreamFallbackModes,
  MessagesStreamModes,
  ProduceAcks,
  Producer,
  stringDeserializers,
  stringSerializers,
} from '@platformatic/kafka';
import type { Redis } from 'ioredis';
import type { Envelope, OutboundMessage } from '../../src/core/domain/message.ts';
import type { LaneSettings } from '../../src/core/domain/remote-config.ts';
import { ConcurrencyLimit } from '../../src/core/pipeline/concurrency-limit.ts';
import type { BenchSmsVendors } from './bench-sms-vendors.ts';

type Received = Message<string, string, string, string>;

export interface MinimalLoopDeps {
  readonly brokers: readonly string[];
  readonly groupId: string;
  readonly sourceTopic: string;
  readonly eventsTopic: string;
  readonly redis: Redis;
  /** Prefix of the reservation keys (one namespace per run). */
  readonly keyPrefix: string;
  readonly vendors: BenchSmsVendors;
  /** herald's lane settings of the run it is compared with: batch size, in-flight cap, send pool. */
  readonly lane: Pick<LaneSettings, 'batchSize' | 'maxInFlight' | 'sendConcurrency'>;
}

export interface MinimalLoopCounts {
  sent: number;
  failed: number;
  /** Failed calls by error code (HERALD_...), to tell a time limit from a vendor's refusal. */
  failedBy: { [code: string]: number };
  /** Records whose key was already reserved: not sent (the dedup a redelivery meets). */
  skipped: number;
  /** Records whose offsets are committed. */
  committed: number;
  batches: number;
}

/** As herald's dedup reserve TTL (remote config `dedup.reserveTtlMs`). */
const RESERVE_TTL_MS = 30_000;
const CALL_TIME_LIMIT_MS = 5_000;

/**
 * The least code that does the durable work herald's lane does per message, as the honest ceiling
 * for herald's end-to-end rate (issue 12): per consumer batch, reserve every key in one Redis round
 * trip (`SET NX PX` in a pipeline), call the vendor once per message through the same SMS adapters
 * over their keep-alive pools, produce one event per message (acks=all, one send per batch), then
 * commit the batch's offsets. No history, no retries, no routing rules, no metrics.
 *
 * Batches overlap, as herald's do (its lane keeps `maxInFlight` records and `sendConcurrency` calls
 * going), so the send pool can fill; commits are chained in batch order, so an offset is committed
 * only once every earlier record of its partition has its event written.
 */
export class MinimalLoop {
  readonly counts: MinimalLoopCounts = {
    sent: 0,
    failed: 0,
    failedBy: {},
    skipped: 0,
    committed: 0,
    batches: 0,
  };
  readonly #deps: MinimalLoopDeps;
  readonly #consumer: Consumer<string, string, string, string>;
  readonly #producer: Producer<string, string, string, string>;
  readonly #sendPool: ConcurrencyLimit;
  #pending: Received[] = [];
  #flushScheduled = false;
  #inFlight = 0;
  #stream: Awaited<ReturnType<Consumer<string, string, string, string>['consume']>> | undefined;
  #commits: Promise<void> = Promise.resolve();
  #failure: unknown;
  #stopping: Promise<void> | undefined;

  constructor(deps: MinimalLoopDeps) {
    this.#deps = deps;
    const connection = { bootstrapBrokers: [...deps.brokers] };
    this.#consumer = new Consumer({
      ...connection,
      clientId: `${deps.groupId}-consumer`,
      groupId: deps.groupId,
      deserializers: stringDeserializers,
      autocommit: false,
    });
    // As herald's producer: acks=all, idempotent, lz4 (HERALD_KAFKA_COMPRESSION's default).
    this.#producer = new Producer({
      ...connection,
      clientId: `${deps.groupId}-producer`,
      serializers: stringSerializers,
      acks: ProduceAcks.ALL,
      idempotent: true,
      compression: 'lz4',
    });
    this.#sendPool = new ConcurrencyLimit(deps.lane.sendConcurrency);
  }

  /** Joins the group and starts consuming from the committed offsets (earliest for a new group). */
  async start(): Promise<void> {
    // Fetch settings as herald's consumer (adapters/kafka/fetch-streams.ts, KAFKA_DEFAULTS).
    this.#stream = await this.#consumer.consume({
      topics: [this.#deps.sourceTopic],
      mode: MessagesStreamModes.COMMITTED,
      fallbackMode: MessagesStreamFallbackModes.EARLIEST,
      autocommit: false,
      maxWaitTime: 500,
      maxBytes: 16 * 1_048_576,
      maxBytesPerPartition: 1_048_576,
    });
    this.#stream.on('data', (record: Received) => this.#take(record));
    this.#stream.on('error', (error: Error) => {
      this.#failure ??= error;
    });
  }

  /** The first error of the loop (a batch whose work failed, a commit or fetch that failed). */
  get failure(): unknown {
    return this.#failure;
  }

  /** Stops fetching, waits for every batch taken so far to be committed, closes the clients. */
  stop(): Promise<void> {
    this.#stopping ??= this.#shutdown();
    return this.#stopping;
  }

  async #shutdown(): Promise<void> {
    this.#stream?.pause();
    this.#flush();
    await this.#commits.catch(() => {});
    await this.#stream?.close().catch(() => {});
    await this.#consumer.close(true).catch(() => {});
    await this.#producer.close().catch(() => {});
  }

  #take(record: Received): void {
    this.#pending.push(record);
    if (this.#pending.length >= this.#deps.lane.batchSize) this.#flush();
    else if (!this.#flushScheduled) {
      // A fetch's records arrive in one synchronous burst: what is left of it is the last batch.
      this.#flushScheduled = true;
      setImmediate(() => this.#flush());
    }
  }

  #flush(): void {
    this.#flushScheduled = false;
    const batch = this.#pending;
    if (batch.length === 0) return;
    this.#pending = [];
    this.#inFlight += batch.length;
    if (this.#inFlight >= this.#deps.lane.maxInFlight) this.#stream?.pause();
    const done = this.#process(batch);
    const committed = Promise.all([this.#commits, done]).then(() => this.#commit(batch));
    this.#commits = committed;
    committed.then(
      () => {
        this.#inFlight -= batch.length;
        const room = this.#inFlight < this.#deps.lane.maxInFlight;
        if (room && this.#failure === undefined && this.#stopping === undefined) {
          this.#stream?.resume();
        }
      },
      (error: unknown) => {
        this.#failure ??= error;
      },
    );
  }

  /** Reserve (one round trip), one vendor call per reserved message, one produce for the events. */
  async #process(batch: readonly Received[]): Promise<void> {
    const envelopes = batch.map((record) => JSON.parse(record.value) as Envelope);
    const reserve = this.#deps.redis.pipeline();
    for (const envelope of envelopes) {
      reserve.set(`${this.#deps.keyPrefix}${envelope.key}`, '1', 'PX', RESERVE_TTL_MS, 'NX');
    }
    const replies = (await reserve.exec()) ?? [];
    const events = await Promise.all(
      envelopes.map((envelope, i) =>
        replies[i]?.[1] === 'OK' ? this.#sendPool.run(() => this.#send(envelope)) : this.#skip(envelope),
      ),
    );
    await this.#producer.send({
      messages: events.map((event) => ({
        topic: this.#deps.eventsTopic,
        key: event.key,
        value: event.value,
      })),
    });
    this.counts.batches++;
  }

  async #send(envelope: Envelope): Promise<{ key: string; value: string }> {
    const vendor = this.#deps.vendors.pick();
    try {
      const receipt = await vendor.send(outbound(envelope), AbortSignal.timeout(CALL_TIME_LIMIT_MS));
      this.counts.sent++;
      return event(envelope, 'sent', { vendorId: vendor.id, vendorMessageId: receipt.vendorMessageId });
    } catch (error) {
      // No retries here: the ceiling records the failure and moves on.
      const code = (error as { code?: string }).code ?? 'unknown';
      this.counts.failed++;
      this.counts.failedBy[code] = (this.counts.failedBy[code] ?? 0) + 1;
      return event(envelope, 'failed', { vendorId: vendor.id, code });
    }
  }

  async #skip(envelope: Envelope): Promise<{ key: string; value: string }> {
    this.counts.skipped++;
    return event(envelope, 'skipped', {});
  }

  /** The next offset to read of each partition in the batch. */
  async #commit(batch: readonly Received[]): Promise<void> {
    const next = new Map<number, bigint>();
    for (const record of batch) {
      const after = record.offset + 1n;
      if (after > (next.get(record.partition) ?? 0n)) next.set(record.partition, after);
    }
    await this.#consumer.commit({
      offsets: [...next].map(([partition, offset]) => ({
        topic: this.#deps.sourceTopic,
        partition,
        offset,
        leaderEpoch: -1,
      })),
    });
    this.counts.committed += batch.length;
  }
}

/** The envelope as herald's SMS adapters take it (inline content, no template). */
function outbound(envelope: Envelope): OutboundMessage {
  return {
    messageId: envelope.messageId,
    idempotencyKey: envelope.key,
    channel: envelope.channel,
    to: envelope.to,
    body: envelope.content?.body ?? '',
    from: envelope.from,
    lane: envelope.lane,
    attempt: envelope.attempt,
    expiresAt: envelope.expiresAt,
  };
}

function event(envelope: Envelope, type: string, detail: object): { key: string; value: string } {
  const value = { eventId: randomUUID(), messageId: envelope.messageId, type, at: Date.now(), ...detail };
  return { key: envelope.key, value: JSON.stringify(value) };
}
