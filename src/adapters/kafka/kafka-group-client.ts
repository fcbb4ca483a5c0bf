import type { Message, MessagesStream } from '@platformatic/kafka';
import { Consumer as KafkaClient, stringDeserializers } from '@platformatic/kafka';
import type { CommitOffset } from '../../ports/transport.ts';
import { kafkaUnavailable } from './kafka-errors.ts';
import type { ResolvedKafkaOptions } from './kafka-options.ts';

/** The @platformatic/kafka client of one group member, with string keys, values and headers. */
export type Client = KafkaClient<string, string, string, string>;
export type Stream = MessagesStream<string, string, string, string>;
export type Received = Message<string, string, string, string>;

/**
 * A client for one member of `group`, committing only when told to. `beforeJoin` answers the
 * client's `protocolsMetadata`, asked before every JoinGroup (see GroupRebalance).
 */
export function createGroupClient(
  options: ResolvedKafkaOptions,
  group: string,
  beforeJoin: () => Promise<Buffer>,
): Client {
  return new KafkaClient<string, string, string, string>({
    clientId: `${options.clientId}-${group}`,
    bootstrapBrokers: [...options.brokers],
    groupId: group,
    sessionTimeout: options.sessionTimeoutMs,
    heartbeatInterval: options.heartbeatIntervalMs,
    rebalanceTimeout: options.rebalanceTimeoutMs,
    protocolsMetadata: beforeJoin,
    deserializers: stringDeserializers,
    autocommit: false,
    timeout: options.requestTimeoutMs,
    connectTimeout: options.connectTimeoutMs,
    retries: options.retries,
    retryDelay: options.retryDelayMs,
  });
}

/** Sends exactly these offsets (next to read) as the group's commit; no guards (OffsetCommitter has them). */
export function commitOffsets(client: Client, offsets: readonly CommitOffset[]): Promise<void> {
  return client.commit({
    offsets: offsets.map(({ topic, partition, offset }) => ({
      topic,
      partition,
      offset: BigInt(offset),
      leaderEpoch: -1,
    })),
  });
}

/** The group's committed offsets for every partition of `topics` that has one, sorted. */
export async function readCommittedOffsets(
  client: Client,
  topics: readonly string[],
): Promise<CommitOffset[]> {
  try {
    const metadata = await client.metadata({ topics: [...topics] });
    const partitionsOf = topics.map((topic) => ({
      topic,
      partitions: Array.from({ length: metadata.topics.get(topic)?.partitionsCount ?? 0 }, (_, i) => i),
    }));
    const committed = await client.listCommittedOffsets({ topics: partitionsOf });
    const out: CommitOffset[] = [];
    for (const [topic, partitions] of committed) {
      partitions.forEach((offset, partition) => {
        if (offset >= 0n) out.push({ topic, partition, offset: Number(offset) });
      });
    }
    return out.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
  } catch (error) {
    throw kafkaUnavailable('read committed offsets', error);
  }
}
