import {
  Consumer,
  type Message,
  MessagesStreamFallbackModes,
  MessagesStreamModes,
  stringDeserializers,
} from '@platformatic/kafka';
import { decodeEnvelope } from '../../src/core/pipeline/envelope-codec.ts';
import type { Vendor } from '../../src/ports/vendor.ts';

/**
 * The talk's platform before its rework, as a baseline: per message consume, call the vendor,
 * wait for the answer, commit, next. "Consumer concurrency = partitions": one serial loop per
 * partition, so at most one vendor call is in flight per partition. The loops share one group
 * member (one client) rather than one member each: eight members of one group in one process
 * kept rebalancing as they joined, and the loop semantics are the same. Same Kafka client
 * (@platformatic/kafka) and the same vendor adapter as herald; no dedup and no history (the naive
 * design only gets cheaper for that).
 */
export interface NaiveConsumerOptions {
  readonly brokers: readonly string[];
  readonly group: string;
  readonly topic: string;
  /** Partitions of the topic: one serial loop each. */
  readonly partitions: number;
  readonly vendor: Vendor;
  readonly vendorTimeoutMs: number;
  /** Called after each message's commit. */
  readonly onDone: () => void;
}

export interface NaiveConsumerGroup {
  /** Resolves when the member owns every partition (so no rebalance falls into the measurement). */
  ready(timeoutMs: number): Promise<void>;
  /** Vendor calls that failed (counted, committed anyway, as the talk's listener did). */
  readonly failures: number;
  /** Largest number of calls one partition had in flight at once (1 by construction). */
  readonly maxInFlight: number;
  close(): Promise<void>;
}

export async function startNaiveConsumers(options: NaiveConsumerOptions): Promise<NaiveConsumerGroup> {
  const client = new Consumer<string, string, string, string>({
    clientId: options.group,
    bootstrapBrokers: [...options.brokers],
    groupId: options.group,
    deserializers: stringDeserializers,
    autocommit: false,
    sessionTimeout: 30_000,
    heartbeatInterval: 3_000,
  });
  let failures = 0;
  const stream = await client.consume({
    topics: [options.topic],
    mode: MessagesStreamModes.COMMITTED,
    fallbackMode: MessagesStreamFallbackModes.EARLIEST,
    autocommit: false,
    maxWaitTime: 500,
  });
  const loops = new Map<number, SerialLoop>();
  let queued = 0;
  const settled = () => {
    queued--;
    if (queued <= MAX_QUEUED / 2 && stream.isPaused()) stream.resume();
  };
  stream.on('data', (message: Received) => {
    let loop = loops.get(message.partition);
    if (!loop) {
      loop = new SerialLoop();
      loops.set(message.partition, loop);
    }
    queued++;
    if (queued >= MAX_QUEUED) stream.pause();
    loop.push(async () => {
      if (!(await sendOne(options, message))) failures++;
      await message.commit();
      options.onDone();
      settled();
    });
  });
  stream.on('error', () => {});
  return {
    async ready(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const owned = (client.assignments ?? []).reduce(
          (n, assignment) => n + assignment.partitions.length,
          0,
        );
        if (owned >= options.partitions) return;
        if (Date.now() > deadline) throw new Error(`naive consumer not ready: ${owned} partitions owned`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    get failures() {
      return failures;
    },
    get maxInFlight() {
      return Math.max(0, ...[...loops.values()].map((loop) => loop.maxInFlight));
    },
    async close() {
      for (const loop of loops.values()) loop.stop();
      await client.close(true).catch(() => {});
    },
  };
}

/** Messages held by the consumer before fetching pauses (the naive design's only buffer). */
const MAX_QUEUED = 1_000;

type Received = Message<string, string, string, string>;

/** Consume, send, wait: true when the vendor accepted. */
async function sendOne(options: NaiveConsumerOptions, message: Received): Promise<boolean> {
  const envelope = decodeEnvelope(message.value);
  if (!envelope?.content) return false;
  try {
    await options.vendor.send(
      {
        messageId: envelope.messageId,
        idempotencyKey: envelope.key,
        channel: envelope.channel,
        to: envelope.to,
        body: envelope.content.body,
        attempt: envelope.attempt,
      },
      AbortSignal.timeout(options.vendorTimeoutMs),
    );
    return true;
  } catch {
    return false;
  }
}

/** Runs its tasks one after the other: one partition's listener thread. */
class SerialLoop {
  #tail: Promise<void> = Promise.resolve();
  #inFlight = 0;
  #stopped = false;
  maxInFlight = 0;

  push(task: () => Promise<void>): void {
    this.#tail = this.#tail.then(async () => {
      if (this.#stopped) return;
      this.#inFlight++;
      this.maxInFlight = Math.max(this.maxInFlight, this.#inFlight);
      try {
        await task();
      } catch {
        // a failed commit ends nothing here; the count shows it
      } finally {
        this.#inFlight--;
      }
    });
  }

  stop(): void {
    this.#stopped = true;
  }
}
