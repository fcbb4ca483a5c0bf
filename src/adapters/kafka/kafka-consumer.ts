import { setTimeout as sleep } from 'node:timers/promises';
import type { GroupAssignment, Message, MessagesStream } from '@platformatic/kafka';
import {
  Consumer as KafkaClient,
  MessagesStreamFallbackModes,
  MessagesStreamModes,
  stringDeserializers,
} from '@platformatic/kafka';
import type { Logger } from '../../observability/logger.ts';
import type {
  CommitOffset,
  Consumer,
  ConsumerOptions,
  TopicPartition,
  TransportRecord,
} from '../../ports/transport.ts';
import { kafkaUnavailable } from './kafka-errors.ts';
import type { ResolvedKafkaOptions } from './kafka-options.ts';
import { OffsetCommitter } from './offset-committer.ts';
import { partitionKey, RecordBuffer } from './record-buffer.ts';
import { settleWithin } from './settle-within.ts';

type Client = KafkaClient<string, string, string, string>;
type Stream = MessagesStream<string, string, string, string>;
type Received = Message<string, string, string, string>;

export interface KafkaConsumerSettings {
  readonly options: ResolvedKafkaOptions;
  readonly consumer: ConsumerOptions;
  readonly onClosed: () => void;
}

const EMPTY_USER_DATA = Buffer.alloc(0);

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
 * Rebalance guarantee. The group runs the classic, eager protocol: before a member rejoins, it
 * gives up everything it owns. The client asks `protocolsMetadata` for the subscription before
 * every JoinGroup, and that callback may be async, so it is our hook to act *before* the
 * revocation completes, as Java's onPartitionsRevoked does: there we drop the buffered records,
 * retire the stream, and await the caller's onRevoke (bounded by revokeTimeLimitMs), whose commits
 * still carry the current generation and are accepted (the group waits in PreparingRebalance for
 * our JoinGroup). No other member can fetch those partitions before our JoinGroup is sent, unless
 * onRevoke overruns the session timeout, which the options forbid. So the next owner starts
 * exactly after what onRevoke committed. Records handed out and not committed by then are
 * delivered again to the next owner (at-least-once; the dedup store makes the replay harmless).
 * If the member was already expelled (session expired, UNKNOWN_MEMBER_ID) the partitions were
 * lost rather than revoked: onRevoke still runs, its commits are refused, and the replay starts at
 * the last earlier commit.
 *
 * One stream per assignment. A stream remembers its fetch positions, and a fetch in flight across
 * the rebalance can move them past records we dropped. So a retired stream is never reused: after
 * each join a fresh stream starts at the group's committed offsets (earliest for a new group).
 */
export class KafkaConsumer implements Consumer {
  readonly #options: ResolvedKafkaOptions;
  readonly #topics: readonly string[];
  readonly #onRevoke: ConsumerOptions['onRevoke'];
  readonly #onClosed: () => void;
  readonly #log: Logger;
  readonly #client: Client;
  readonly #buffer = new RecordBuffer();
  /** Partitions of the current assignment whose records poll may hand out. */
  readonly #owned = new Map<string, TopicPartition>();
  /** Partitions whose onRevoke is running: their commits are still accepted. */
  readonly #revoking = new Set<string>();
  readonly #committer: OffsetCommitter;
  readonly #closing = new AbortController();
  #stream: Stream | undefined;
  /** The group generation (counted by joins) the current stream was created for. */
  #streamGeneration = 0;
  #generation = 0;
  /** Between the start of a rejoin (revocation) and its join: no stream may be attached. */
  #rejoining = false;
  #retired: Stream[] = [];
  #backpressure = false;
  #opening: Promise<void> | undefined;
  #revocation: Promise<void> | undefined;
  #recovering = false;
  #reopenScheduled = false;
  #closed: Promise<void> | undefined;

  /** Joins the group and starts fetching; resolves once this member has its first assignment. */
  static async start(settings: KafkaConsumerSettings): Promise<KafkaConsumer> {
    const consumer = new KafkaConsumer(settings);
    try {
      await consumer.#openStream();
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
    this.#onRevoke = consumer.onRevoke;
    this.#onClosed = settings.onClosed;
    this.#log = options.logger.child({ component: 'kafka-consumer', group: consumer.group });
    this.#client = new KafkaClient<string, string, string, string>({
      clientId: `${options.clientId}-${consumer.group}`,
      bootstrapBrokers: [...options.brokers],
      groupId: consumer.group,
      sessionTimeout: options.sessionTimeoutMs,
      heartbeatInterval: options.heartbeatIntervalMs,
      rebalanceTimeout: options.rebalanceTimeoutMs,
      protocolsMetadata: () => this.#beforeJoin(),
      deserializers: stringDeserializers,
      autocommit: false,
      timeout: options.requestTimeoutMs,
      connectTimeout: options.connectTimeoutMs,
      retries: options.retries,
      retryDelay: options.retryDelayMs,
    });
    this.#committer = new OffsetCommitter({
      mayCommit: (key) => this.#owned.has(key) || this.#revoking.has(key),
      // Mid-rejoin the client is not "active"; the revoke window is the exception (see above).
      canCommitNow: () => this.#client.isActive() || this.#revoking.size > 0,
      send: (offsets) =>
        this.#client.commit({
          offsets: offsets.map(({ topic, partition, offset }) => ({
            topic,
            partition,
            offset: BigInt(offset),
            leaderEpoch: -1,
          })),
        }),
    });
    // The subscription belongs to the membership, not to a stream: holding one reference here
    // keeps the topics subscribed while streams are swapped, so a swap never triggers a rejoin.
    this.#client.topics.trackAll(...this.#topics);
    this.#client.on('consumer:group:join', ({ assignments }) => this.#onJoined(assignments ?? []));
    this.#client.on('error', (error) => this.#onClientError(error));
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
        this.#releaseBackpressure();
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

  async committed(): Promise<CommitOffset[]> {
    try {
      const metadata = await this.#client.metadata({ topics: [...this.#topics] });
      const topics = this.#topics.map((topic) => ({
        topic,
        partitions: Array.from({ length: metadata.topics.get(topic)?.partitionsCount ?? 0 }, (_, i) => i),
      }));
      const committed = await this.#client.listCommittedOffsets({ topics });
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

  /** Wakes waiting polls, lets the caller commit through onRevoke, then leaves the group. */
  close(): Promise<void> {
    this.#closed ??= this.#shutDown();
    return this.#closed;
  }

  /**
   * Opens a stream for the current assignment; the first call also joins the group. A stream is
   * only good for the generation it was created in (its positions predate any later rebalance),
   * so one that comes back stale is retired at once and another one opened.
   */
  #openStream(): Promise<void> {
    this.#opening ??= (async () => {
      // With no member id, consume() joins first and builds the stream after the join completes;
      // otherwise it builds the stream at once, for the generation current now.
      const joinsFirst = this.#client.memberId === null;
      const generationAtCall = this.#generation;
      let stream: Stream;
      try {
        stream = await this.#client.consume({
          topics: [...this.#topics],
          mode: MessagesStreamModes.COMMITTED,
          fallbackMode: MessagesStreamFallbackModes.EARLIEST,
          autocommit: false,
          maxWaitTime: this.#options.fetchMaxWaitMs,
          maxBytes: this.#options.fetchMaxBytes,
          maxBytesPerPartition: this.#options.fetchMaxBytesPerPartition,
        });
      } finally {
        this.#opening = undefined;
      }
      const generation = joinsFirst ? this.#generation : generationAtCall;
      if (this.#closing.signal.aborted || this.#rejoining || generation !== this.#generation) {
        stream.on('error', () => {}); // never attached: its failure is of no interest
        stream.pause();
        this.#retired.push(stream);
        // Mid-rejoin, the join that ends it opens the next stream (see #onJoined).
        if (!this.#rejoining) this.#reopenSoon(0);
      } else {
        this.#attach(stream, generation);
      }
      await this.#closeRetired();
    })();
    return this.#opening;
  }

  #attach(stream: Stream, generation: number): void {
    this.#stream = stream;
    this.#streamGeneration = generation;
    // Owned from the moment the stream knows its positions ('offsets', before its first fetch):
    // a stream that dies while starting (broker down) then never bothers onRevoke.
    stream.once('offsets', () => {
      if (stream === this.#stream) this.#setOwned(this.#client.assignments ?? []);
    });
    stream.on('data', (message: Received) => {
      if (stream === this.#stream) this.#accept(message);
    });
    stream.on('error', (error: Error) => this.#onStreamError(stream, error));
  }

  #accept(message: Received): void {
    const key = partitionKey(message.topic, message.partition);
    // The stream may deliver before its 'offsets' event reached us; outside a rejoin the
    // client's current assignment is the truth, so read it again rather than drop the record
    // (a dropped record's fetch position is gone until the next rebalance: a silent stall).
    if (!this.#owned.has(key) && !this.#rejoining) this.#setOwned(this.#client.assignments ?? []);
    if (!this.#owned.has(key)) {
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
    if (!this.#backpressure && this.#buffer.size >= this.#options.maxBufferedRecords) {
      this.#backpressure = true;
      this.#stream?.pause();
    }
  }

  #releaseBackpressure(): void {
    if (this.#backpressure && this.#buffer.size <= this.#options.maxBufferedRecords / 2) {
      this.#backpressure = false;
      this.#stream?.resume();
    }
  }

  #setOwned(assignments: readonly GroupAssignment[]): void {
    this.#owned.clear();
    for (const { topic, partitions } of assignments) {
      for (const partition of partitions)
        this.#owned.set(partitionKey(topic, partition), { topic, partition });
    }
  }

  /** Runs before every JoinGroup this member sends (see the class comment). */
  async #beforeJoin(): Promise<Buffer> {
    this.#rejoining = true;
    // A revocation already running is either our own caller (a commit inside onRevoke that needs
    // a rejoin itself: waiting would wait for ourselves) or a fetch failure's, which has already
    // taken everything away from polling. Either way, nothing is left to give up.
    if (this.#revocation === undefined) await this.#revokeOnce('rebalance');
    return EMPTY_USER_DATA;
  }

  #revokeOnce(reason: string): Promise<void> {
    this.#revocation ??= this.#revokeAll(reason).finally(() => {
      this.#revocation = undefined;
    });
    return this.#revocation;
  }

  #onJoined(assignments: readonly GroupAssignment[]): void {
    this.#generation++;
    this.#rejoining = false;
    this.#log.info(
      { partitions: assignments.map((a) => `${a.topic}[${a.partitions.join(',')}]`) },
      'kafka partitions assigned',
    );
    // A stream from an earlier generation may hold positions past records dropped at the
    // revocation: replace it. (The first join happens inside the first consume(), which then
    // builds its stream for this generation.)
    if (this.#stream !== undefined && this.#streamGeneration !== this.#generation) this.#retire();
    if (this.#stream === undefined) this.#reopenSoon(0);
  }

  /**
   * Takes every owned partition away from polling: retires the stream, drops what it buffered,
   * then lets the caller commit its finished work (bounded).
   */
  async #revokeAll(reason: string): Promise<void> {
    const partitions = [...this.#owned.values()];
    this.#owned.clear();
    this.#retire();
    this.#buffer.clear();
    if (partitions.length === 0 || this.#onRevoke === undefined) return;
    this.#log.info({ reason, partitions: partitions.length }, 'kafka partitions revoked');
    const keys = partitions.map((p) => partitionKey(p.topic, p.partition));
    for (const key of keys) this.#revoking.add(key);
    try {
      const outcome = await settleWithin(this.#onRevoke(partitions), this.#options.revokeTimeLimitMs);
      if (outcome === 'timeout') {
        this.#log.warn({ reason }, `onRevoke did not finish within ${this.#options.revokeTimeLimitMs} ms`);
      }
    } catch (error) {
      this.#log.warn({ err: error, reason }, 'onRevoke failed; uncommitted records will be delivered again');
    } finally {
      for (const key of keys) this.#revoking.delete(key);
    }
  }

  #retire(): void {
    const stream = this.#stream;
    if (stream === undefined) return;
    this.#stream = undefined;
    this.#backpressure = false;
    stream.pause();
    this.#retired.push(stream);
  }

  async #closeRetired(): Promise<void> {
    const retired = this.#retired;
    this.#retired = [];
    await Promise.all(
      retired.map((stream) =>
        stream.close().catch((error: unknown) => this.#log.debug({ err: error }, 'closing a retired stream')),
      ),
    );
  }

  /**
   * A fetch failed past the client's retries (broker down, leader gone). The stream is dead; the
   * membership may still be fine. Treat it as a revocation (the caller commits and forgets), then
   * fetch again from the committed offsets with a fresh stream, retrying until the broker is back.
   */
  #onStreamError(stream: Stream, error: Error): void {
    if (stream !== this.#stream || this.#closing.signal.aborted) return;
    this.#log.warn({ err: error }, 'kafka fetch failed; restarting from the committed offsets');
    void this.#revokeOnce('fetch failed').then(() => this.#reopenSoon(this.#options.retryDelayMs));
  }

  /** Opens the next stream after `delayMs`, retrying while the broker cannot be reached. */
  #reopenSoon(delayMs: number): void {
    if (this.#closing.signal.aborted || this.#opening !== undefined || this.#reopenScheduled) return;
    this.#reopenScheduled = true;
    void sleep(delayMs, undefined, { signal: this.#closing.signal })
      .then(() => {
        this.#reopenScheduled = false;
        if (this.#stream === undefined && !this.#rejoining) return this.#openStream();
      })
      .catch((error: unknown) => {
        this.#reopenScheduled = false;
        if (this.#closing.signal.aborted) return;
        this.#log.warn({ err: error }, 'kafka stream could not be opened; retrying');
        this.#reopenSoon(Math.max(this.#options.retryDelayMs, 1_000));
      });
  }

  /**
   * The client gave up rejoining (e.g. the broker was down longer than its retries): it sends no
   * more heartbeats, so nothing would ever recover by itself. Rejoin until it works.
   */
  #onClientError(error: Error): void {
    if (this.#closing.signal.aborted || this.#recovering) return;
    this.#log.warn({ err: error }, 'kafka group membership failed; rejoining');
    this.#recovering = true;
    void (async () => {
      while (!this.#closing.signal.aborted) {
        try {
          await sleep(Math.max(this.#options.retryDelayMs, 1_000), undefined, {
            signal: this.#closing.signal,
          });
          await this.#client.joinGroup({});
          break;
        } catch (rejoinError) {
          this.#log.debug({ err: rejoinError }, 'kafka rejoin failed; retrying');
        }
      }
      this.#recovering = false;
    })();
  }

  async #shutDown(): Promise<void> {
    this.#closing.abort();
    try {
      await this.#opening?.catch(() => {});
      await this.#revocation;
      await this.#revokeAll('close');
      await this.#closeRetired();
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
