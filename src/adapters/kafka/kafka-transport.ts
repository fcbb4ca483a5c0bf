import { Admin, ProduceAcks, Producer, stringSerializers } from '@platformatic/kafka';
import { HeraldError } from '../../core/domain/errors.ts';
import type { Logger } from '../../observability/logger.ts';
import type {
  Consumer,
  ConsumerOptions,
  OutgoingRecord,
  TopicSpec,
  Transport,
} from '../../ports/transport.ts';
import { murmur2 } from '../sqlite/partition-for-key.ts';
import { KafkaConsumer } from './kafka-consumer.ts';
import { produceError } from './kafka-errors.ts';
import type { KafkaTransportOptions, ResolvedKafkaOptions } from './kafka-options.ts';
import { resolveKafkaOptions } from './kafka-options.ts';
import { ensureKafkaTopics } from './kafka-topics.ts';
import { ProduceCoalescer } from './produce-coalescer.ts';

/**
 * Java's default partitioner (murmur2 of the key bytes, sign bit cleared). The client's own
 * default keeps the sign bit, so the same key would land elsewhere than with a Java producer; and
 * this is the same function the embedded log uses, so a key keeps its partition number across
 * a switch between the two transports.
 */
function javaCompatiblePartition(_message: unknown, key: Buffer | undefined): number {
  return key === undefined ? 0 : murmur2(key) & 0x7fffffff;
}

/**
 * The production transport: Apache Kafka through @platformatic/kafka (pure TypeScript, no native
 * addon). One admin client for topics and health, one idempotent producer shared by every
 * produce, one client per consumer (a group member owns its connections and heartbeats).
 */
export class KafkaTransport implements Transport {
  readonly #options: ResolvedKafkaOptions;
  readonly #log: Logger;
  readonly #admin: Admin;
  readonly #producer: Producer<string, string, string, string>;
  readonly #coalescer: ProduceCoalescer;
  readonly #consumers = new Set<KafkaConsumer>();
  #closed: Promise<void> | undefined;

  constructor(options: KafkaTransportOptions) {
    this.#options = resolveKafkaOptions(options);
    this.#log = this.#options.logger.child({ component: 'kafka-transport' });
    const connection = {
      bootstrapBrokers: [...this.#options.brokers],
      timeout: this.#options.requestTimeoutMs,
      connectTimeout: this.#options.connectTimeoutMs,
      retries: this.#options.retries,
      retryDelay: this.#options.retryDelayMs,
    };
    this.#admin = new Admin({ ...connection, clientId: `${this.#options.clientId}-admin` });
    // acks=all + idempotence: a record counts as written once every in-sync replica has it, and
    // the client's retries cannot write it twice or out of order within a partition.
    this.#producer = new Producer<string, string, string, string>({
      ...connection,
      clientId: `${this.#options.clientId}-producer`,
      serializers: stringSerializers,
      acks: ProduceAcks.ALL,
      idempotent: true,
      compression: this.#options.compression,
      partitioner: javaCompatiblePartition,
      autocreateTopics: false,
    });
    this.#coalescer = new ProduceCoalescer(async (records) => {
      await this.#producer.send({
        messages: records.map(({ topic, key, value }) => ({ topic, key, value })),
      });
    });
  }

  async ensureTopics(topics: readonly TopicSpec[]): Promise<void> {
    this.#assertOpen();
    await ensureKafkaTopics(this.#admin, topics, {
      replicationFactor: this.#options.replicationFactor,
      readyTimeoutMs: this.#options.topicReadyTimeoutMs,
    });
  }

  /**
   * One send for the whole batch (the client groups it into one Produce request per broker),
   * coalesced with the other produce calls of the process waiting meanwhile (ProduceCoalescer).
   */
  async produce(records: readonly OutgoingRecord[]): Promise<void> {
    if (records.length === 0) return;
    this.#assertOpen();
    try {
      await this.#coalescer.produce(records);
    } catch (error) {
      throw produceError(error);
    }
  }

  async consumer(options: ConsumerOptions): Promise<Consumer> {
    this.#assertOpen();
    let started: KafkaConsumer | undefined;
    started = await KafkaConsumer.start({
      options: this.#options,
      consumer: options,
      onClosed: () => {
        if (started !== undefined) this.#consumers.delete(started);
      },
    });
    if (this.#closed !== undefined) {
      // The transport closed while this member was joining: do not leave it running.
      await started.close();
      this.#assertOpen();
    }
    this.#consumers.add(started);
    return started;
  }

  /** A metadata round-trip to the brokers within healthTimeoutMs. */
  async healthy(): Promise<boolean> {
    if (this.#closed !== undefined) return false;
    const timeout = AbortSignal.timeout(this.#options.healthTimeoutMs);
    const expired = new Promise<false>((resolve) => timeout.addEventListener('abort', () => resolve(false)));
    const answered = this.#admin
      .metadata({ topics: [], forceUpdate: true })
      .then((metadata) => metadata.brokers.size > 0)
      .catch(() => false);
    return Promise.race([answered, expired]);
  }

  /** Consumers first (their onRevoke may still commit), then the producer, then the admin client. */
  close(): Promise<void> {
    this.#closed ??= this.#shutDown();
    return this.#closed;
  }

  async #shutDown(): Promise<void> {
    await Promise.allSettled([...this.#consumers].map((consumer) => consumer.close()));
    for (const [name, client] of [
      ['producer', this.#producer],
      ['admin', this.#admin],
    ] as const) {
      try {
        await client.close();
      } catch (error) {
        this.#log.warn({ err: error }, `closing the kafka ${name} failed`);
      }
    }
  }

  #assertOpen(): void {
    if (this.#closed !== undefined) {
      throw new HeraldError('HERALD_UNAVAILABLE', 'the kafka transport is closed', { retryable: true });
    }
  }
}
