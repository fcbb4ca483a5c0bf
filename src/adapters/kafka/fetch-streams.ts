import { setTimeout as sleep } from 'node:timers/promises';
import { MessagesStreamFallbackModes, MessagesStreamModes } from '@platformatic/kafka';
import type { Logger } from '../../observability/logger.ts';
import type { Client, Received, Stream } from './kafka-group-client.ts';
import type { ResolvedKafkaOptions } from './kafka-options.ts';

/** What the streams need from their consumer: its client and group state, and where records go. */
export interface FetchStreamsHost {
  readonly client: Client;
  readonly topics: readonly string[];
  readonly options: ResolvedKafkaOptions;
  readonly log: Logger;
  /** Aborted when the consumer closes. */
  readonly closing: AbortSignal;
  /** The group generation, counted by joins. */
  generation(): number;
  /** Between the start of a rejoin (revocation) and its join: no stream may be attached. */
  rejoining(): boolean;
  /** The current stream knows its positions: the client's assignment is now owned. */
  onPositions(): void;
  /** A record fetched by the current stream. */
  onMessage(message: Received): void;
  /** Takes every owned partition away from polling (once at a time). */
  revoke(reason: string): Promise<void>;
}

/**
 * The client's MessagesStream for the current assignment, and the ones retired before it.
 *
 * One stream per assignment. A stream remembers its fetch positions, and a fetch in flight across
 * the rebalance can move them past records we dropped. So a retired stream is never reused: after
 * each join a fresh stream starts at the group's committed offsets (earliest for a new group).
 */
export class FetchStreams {
  readonly #host: FetchStreamsHost;
  #stream: Stream | undefined;
  /** The group generation (counted by joins) the current stream was created for. */
  #streamGeneration = 0;
  #retired: Stream[] = [];
  #backpressure = false;
  #opening: Promise<void> | undefined;
  #reopenScheduled = false;

  constructor(host: FetchStreamsHost) {
    this.#host = host;
  }

  /** Whether a stream is attached (fetching, or paused by backpressure). */
  get attached(): boolean {
    return this.#stream !== undefined;
  }

  /** The opening in progress, if any. */
  get opening(): Promise<void> | undefined {
    return this.#opening;
  }

  /** Whether the attached stream was created for an earlier generation than `generation`. */
  isStale(generation: number): boolean {
    return this.#stream !== undefined && this.#streamGeneration !== generation;
  }

  /**
   * Opens a stream for the current assignment; the first call also joins the group. A stream is
   * only good for the generation it was created in (its positions predate any later rebalance),
   * so one that comes back stale is retired at once and another one opened.
   */
  open(): Promise<void> {
    const host = this.#host;
    this.#opening ??= (async () => {
      // With no member id, consume() joins first and builds the stream after the join completes;
      // otherwise it builds the stream at once, for the generation current now.
      const joinsFirst = host.client.memberId === null;
      const generationAtCall = host.generation();
      let stream: Stream;
      try {
        stream = await host.client.consume({
          topics: [...host.topics],
          mode: MessagesStreamModes.COMMITTED,
          fallbackMode: MessagesStreamFallbackModes.EARLIEST,
          autocommit: false,
          maxWaitTime: host.options.fetchMaxWaitMs,
          maxBytes: host.options.fetchMaxBytes,
          maxBytesPerPartition: host.options.fetchMaxBytesPerPartition,
        });
      } finally {
        this.#opening = undefined;
      }
      const generation = joinsFirst ? host.generation() : generationAtCall;
      if (host.closing.aborted || host.rejoining() || generation !== host.generation()) {
        stream.on('error', () => {}); // never attached: its failure is of no interest
        stream.pause();
        this.#retired.push(stream);
        // Mid-rejoin, the join that ends it opens the next stream (see GroupRebalance.joined).
        if (!host.rejoining()) this.reopenSoon(0);
      } else {
        this.#attach(stream, generation);
      }
      await this.closeRetired();
    })();
    return this.#opening;
  }

  #attach(stream: Stream, generation: number): void {
    this.#stream = stream;
    this.#streamGeneration = generation;
    // Owned from the moment the stream knows its positions ('offsets', before its first fetch):
    // a stream that dies while starting (broker down) then never bothers onRevoke.
    stream.once('offsets', () => {
      if (stream === this.#stream) this.#host.onPositions();
    });
    stream.on('data', (message: Received) => {
      if (stream === this.#stream) this.#host.onMessage(message);
    });
    stream.on('error', (error: Error) => this.#onStreamError(stream, error));
  }

  /** Past `maxBufferedRecords` buffered, pauses the stream (no more fetches). */
  throttle(buffered: number): void {
    if (!this.#backpressure && buffered >= this.#host.options.maxBufferedRecords) {
      this.#backpressure = true;
      this.#stream?.pause();
    }
  }

  /** Resumes a stream paused by `throttle` once polls have drained the buffer to half. */
  releaseBackpressure(buffered: number): void {
    if (this.#backpressure && buffered <= this.#host.options.maxBufferedRecords / 2) {
      this.#backpressure = false;
      this.#stream?.resume();
    }
  }

  /** Detaches the current stream for good: paused now, closed by the next `closeRetired`. */
  retire(): void {
    const stream = this.#stream;
    if (stream === undefined) return;
    this.#stream = undefined;
    this.#backpressure = false;
    stream.pause();
    this.#retired.push(stream);
  }

  async closeRetired(): Promise<void> {
    const retired = this.#retired;
    this.#retired = [];
    await Promise.all(
      retired.map((stream) =>
        stream
          .close()
          .catch((error: unknown) => this.#host.log.debug({ err: error }, 'closing a retired stream')),
      ),
    );
  }

  /**
   * A fetch failed past the client's retries (broker down, leader gone). The stream is dead; the
   * membership may still be fine. Treat it as a revocation (the caller commits and forgets), then
   * fetch again from the committed offsets with a fresh stream, retrying until the broker is back.
   */
  #onStreamError(stream: Stream, error: Error): void {
    const host = this.#host;
    if (stream !== this.#stream || host.closing.aborted) return;
    host.log.warn({ err: error }, 'kafka fetch failed; restarting from the committed offsets');
    void host.revoke('fetch failed').then(() => this.reopenSoon(host.options.retryDelayMs));
  }

  /** Opens the next stream after `delayMs`, retrying while the broker cannot be reached. */
  reopenSoon(delayMs: number): void {
    const host = this.#host;
    if (host.closing.aborted || this.#opening !== undefined || this.#reopenScheduled) return;
    this.#reopenScheduled = true;
    void sleep(delayMs, undefined, { signal: host.closing })
      .then(() => {
        this.#reopenScheduled = false;
        if (this.#stream === undefined && !host.rejoining()) return this.open();
      })
      .catch((error: unknown) => {
        this.#reopenScheduled = false;
        if (host.closing.aborted) return;
        host.log.warn({ err: error }, 'kafka stream could not be opened; retrying');
        this.reopenSoon(Math.max(host.options.retryDelayMs, 1_000));
      });
  }
}
