import type {
  CommitOffset,
  Consumer,
  ConsumerOptions,
  OutgoingRecord,
  TopicPartition,
  TopicSpec,
  Transport,
  TransportRecord,
} from '../ports/transport.ts';

/**
 * Puts every topic and consumer group of a transport under a namespace (`<ns>.<name>`), so several
 * herald installations (staging and production, or parallel test runs) can share one Kafka
 * cluster without reading each other's messages. The core keeps its plain topic names; only this
 * wrapper knows about the prefix, and it strips it from everything it hands back.
 */
export class NamespacedTransport implements Transport {
  readonly #inner: Transport;
  readonly #prefix: string;

  constructor(inner: Transport, namespace: string) {
    this.#inner = inner;
    this.#prefix = `${namespace}.`;
  }

  ensureTopics(topics: readonly TopicSpec[]): Promise<void> {
    return this.#inner.ensureTopics(topics.map((topic) => ({ ...topic, name: this.#in(topic.name) })));
  }

  produce(records: readonly OutgoingRecord[]): Promise<void> {
    return this.#inner.produce(records.map((record) => ({ ...record, topic: this.#in(record.topic) })));
  }

  async consumer(options: ConsumerOptions): Promise<Consumer> {
    const { onRevoke } = options;
    const inner = await this.#inner.consumer({
      group: this.#in(options.group),
      topics: options.topics.map((topic) => this.#in(topic)),
      ...(onRevoke
        ? { onRevoke: (partitions) => onRevoke(partitions.map((p) => this.#outPartition(p))) }
        : {}),
    });
    return {
      poll: async (max, wait, signal) =>
        (await inner.poll(max, wait, signal)).map((record) => this.#outRecord(record)),
      commit: (offsets) => inner.commit(offsets.map((o) => ({ ...o, topic: this.#in(o.topic) }))),
      committed: async () => (await inner.committed()).map((o) => this.#outPartition(o) as CommitOffset),
      close: () => inner.close(),
    };
  }

  healthy(): Promise<boolean> {
    return this.#inner.healthy();
  }

  close(): Promise<void> {
    return this.#inner.close();
  }

  #in(name: string): string {
    return this.#prefix + name;
  }

  #out(name: string): string {
    return name.startsWith(this.#prefix) ? name.slice(this.#prefix.length) : name;
  }

  #outRecord(record: TransportRecord): TransportRecord {
    return { ...record, topic: this.#out(record.topic) };
  }

  #outPartition<T extends TopicPartition>(partition: T): T {
    return { ...partition, topic: this.#out(partition.topic) };
  }
}
