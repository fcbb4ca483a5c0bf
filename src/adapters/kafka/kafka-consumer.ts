import type { Logger } from '../../observability/logger.ts';
import type { CommitOffset, Consumer, ConsumerOptions, TransportRecord } from '../../ports/transport.ts';
import { FetchStreams } from './fetch-streams.ts';
import { GroupRebalance } from './group-rebalance.ts';
import { kafkaUnavailable } from './kafka-errors.ts';
import type { Client, Received } from './kafka-group-client.ts';
import { commitOffsets, createGroupClient, readCommittedOffsets } from './kafka-group-client.ts';
import type { ResolvedKafkaOptions } from './kafka-options.ts';
import { MembershipRecovery } from './membership-recovery.ts';
import { OffsetCommitter } from './offset-committer.ts';
import { PartitionOwnership } from './partition-ownership.ts';
import { partitionKey, RecordBuffer } from './record-buffer.ts';
import { settleWithin } from './settle-within.ts';

export interface KafkaConsumerSettings {
  readonly options: ResolvedKafkaOptions;
  readonly consumer: ConsumerOptions;
  readonly onClosed: () => void;
}

/**
 * The port's pull consumer over @platformatic/kafka's push stream.
 *
 * Records flow from the client's MessagesStream into a RecordBuffer that `poll` drains fairly.
 * The buffer is bounded: past `maxBufferedRecords` the stream is paused (no more fetches) until
 * polls drain it to half. Heartbeats are the client's own timers, independent of the stream and
 * of polling, and the classic group protocol this client speaks has no max.poll.interval, so a
 * slow worker (or a paused stream) never makes the group rebalance; only a dead process (no
 * heartbeat for sessionTimeoutMs) does.
 *
 * The rebalance guarantee is GroupRebalance's; why there is one stream per assignment, FetchStreams'.
 */
export class KafkaConsumer implements Consumer {
  readonly #options: ResolvedKafkaOptions;
  readonly #topics: readonly string[];
  readonly #onClosed: () => void;
  readonly #log: Logger;
  readonly #client: Client;
  readonly #buffer = new RecordBuffer();
  readonly #ownership = new PartitionOwnership();
  readonly #committer: OffsetCommitter;
  readonly #streams: FetchStreams;
  readonly #rebalance: GroupRebalance;
  readonly #recovery: MembershipRecovery;
  readonly #closing = new AbortController();
  #closed: Promise<void> | undefined;

  /** Joins the group and starts fetching; resolves once this member has its first assignment. */
  static async start(settings: KafkaConsumerSettings): Promise<KafkaConsumer> {
    const consumer = new KafkaConsumer(settings);
    try {
      await consumer.#streams.open();
    } catch (error) {
      await consumer.close();
      throw kafkaUnavailable(`join consumer group ${settings.consumer.group}`, error);
    }
    return consumer;
  }

  private constructor(settings: KafkaConsumerSettings) {
    const { options, consumer } = settings;
    this.#options = options;
    this.#topics = Object.freeze([...consumer.topics]);
    this.#onClosed = settings.onClosed;
    this.#log = options.logger.child({ component: 'kafka-consumer', group: consumer.group });
    this.#client = createGroupClient(options, consumer.group, () => this.#rebalance.beforeJoin());
    this.#committer = new OffsetCommitter({
      mayCommit: (key) => this.#ownership.mayCommit(key),
      // Mid-rejoin the client is not "active"; the revoke window is the exception (see GroupRebalance).
      canCommitNow: () => this.#client.isActive() || this.#ownership.revoking,
      send: (offsets) => commitOffsets(this.#client, offsets),
    });
    this.#streams = new FetchStreams({
      client: this.#client,
      topics: this.#topics,
      options,
      log: this.#log,
      closing: this.#closing.signal,
      generation: () => this.#rebalance.generation,
      rejoining: () => this.#rebalance.rejoining,
      onPositions: () => this.#ownership.assign(this.#client.assignments ?? []),
      onMessage: (message) => this.#accept(message),
      revoke: (reason) => this.#rebalance.revokeOnce(reason),
    });
    this.#rebalance = new GroupRebalance({
      options,
      log: this.#log,
      onRevoke: consumer.onRevoke,
      ownership: this.#ownership,
      buffer: this.#buffer,
      streams: this.#streams,
    });
    this.#recovery = new MembershipRecovery({
      client: this.#client,
      retryDelayMs: options.retryDelayMs,
      closing: this.#closing.signal,
      log: this.#log,
    });
    // The subscription belongs to the membership, not to a stream: holding one reference here
    // keeps the topics subscribed while streams are swapped, so a swap never triggers a rejoin.
    this.#client.topics.trackAll(...this.#topics);
    this.#client.on('consumer:group:join', ({ assignments }) => this.#rebalance.joined(assignments ?? []));
    this.#client.on('error', (error) => this.#recovery.onClientError(error));
    this.#client.on('consumer:heartbeat:error', ({ error }) =>
      this.#log.debug({ err: error }, 'kafka heartbeat failed; the client retries'),
    );
  }

  async poll(maxRecords: number, maxWaitMs: number, signal?: AbortSignal): Promise<TransportRecord[]> {
    const limit = Math.max(1, Math.floor(maxRecords));
    const deadline = Date.now() + maxWaitMs;
    const wake =
      signal === undefined ? this.#closing.signal : AbortSignal.any([signal, this.#closing.signal]);
    while (!wake.aborted) {
      const records = this.#buffer.take(limit);
      if (records.length > 0) {
        this.#streams.releaseBackpressure(this.#buffer.size);
        return records;
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) break;
      await this.#buffer.waitForRecords(remaining, wake);
    }
    return [];
  }

  /** Commits exactly these offsets for the group; see OffsetCommitter for the guards. */
  commit(offsets: readonly CommitOffset[]): Promise<void> {
    return this.#committer.commit(offsets);
  }

  committed(): Promise<CommitOffset[]> {
    return readCommittedOffsets(this.#client, this.#topics);
  }

  /** Wakes waiting polls, lets the caller commit through onRevoke, then leaves the group. */
  close(): Promise<void> {
    this.#closed ??= this.#shutDown();
    return this.#closed;
  }

  #accept(message: Received): void {
    const key = partitionKey(message.topic, message.partition);
    // The stream may deliver before its 'offsets' event reached us; outside a rejoin the
    // client's current assignment is the truth, so read it again rather than drop the record
    // (a dropped record's fetch position is gone until the next rebalance: a silent stall).
    if (!this.#ownership.owns(key) && !this.#rebalance.rejoining) {
      this.#ownership.assign(this.#client.assignments ?? []);
    }
    if (!this.#ownership.owns(key)) {
      this.#log.warn(
        { topic: message.topic, partition: message.partition },
        'dropping a record of a partition not owned',
      );
      return;
    }
    this.#buffer.push({
      topic: message.topic,
      partition: message.partition,
      offset: Number(message.offset),
      key: message.key ?? '',
      value: message.value ?? '',
      timestamp: Number(message.timestamp),
    });
    this.#streams.throttle(this.#buffer.size);
  }

  async #shutDown(): Promise<void> {
    this.#closing.abort();
    try {
      await this.#streams.opening?.catch(() => {});
      await this.#rebalance.revocation;
      await this.#rebalance.revokeAll('close');
      await this.#streams.closeRetired();
      await this.#committer.settled();
      const left = await settleWithin(this.#client.close(), this.#options.requestTimeoutMs * 2);
      if (left === 'timeout') {
        this.#log.warn('leaving the kafka group timed out; closing the connections');
        await this.#client.close(true).catch(() => {});
      }
    } catch (error) {
      this.#log.warn({ err: error }, 'kafka consumer close failed');
    } finally {
      this.#onClosed();
    }
  }
}
