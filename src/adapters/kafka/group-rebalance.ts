import type { GroupAssignment } from '@platformatic/kafka';
import type { Logger } from '../../observability/logger.ts';
import type { ConsumerOptions } from '../../ports/transport.ts';
import type { FetchStreams } from './fetch-streams.ts';
import type { ResolvedKafkaOptions } from './kafka-options.ts';
import type { PartitionOwnership } from './partition-ownership.ts';
import { partitionKey, type RecordBuffer } from './record-buffer.ts';
import { settleWithin } from './settle-within.ts';

export interface GroupRebalanceSettings {
  readonly options: ResolvedKafkaOptions;
  readonly log: Logger;
  readonly onRevoke: ConsumerOptions['onRevoke'];
  readonly ownership: PartitionOwnership;
  readonly buffer: RecordBuffer;
  readonly streams: FetchStreams;
}

const EMPTY_USER_DATA = Buffer.alloc(0);

/**
 * A member's side of the group's rebalances: giving partitions up, and fetching again after a join.
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
 */
export class GroupRebalance {
  readonly #settings: GroupRebalanceSettings;
  #generation = 0;
  /** Between the start of a rejoin (revocation) and its join: no stream may be attached. */
  #rejoining = false;
  #revocation: Promise<void> | undefined;

  constructor(settings: GroupRebalanceSettings) {
    this.#settings = settings;
  }

  /** The group generation, counted by joins. */
  get generation(): number {
    return this.#generation;
  }

  get rejoining(): boolean {
    return this.#rejoining;
  }

  /** The revocation running now, if any. */
  get revocation(): Promise<void> | undefined {
    return this.#revocation;
  }

  /** Runs before every JoinGroup this member sends (see the class comment). */
  async beforeJoin(): Promise<Buffer> {
    this.#rejoining = true;
    // A revocation already running is either our own caller (a commit inside onRevoke that needs
    // a rejoin itself: waiting would wait for ourselves) or a fetch failure's, which has already
    // taken everything away from polling. Either way, nothing is left to give up.
    if (this.#revocation === undefined) await this.revokeOnce('rebalance');
    return EMPTY_USER_DATA;
  }

  revokeOnce(reason: string): Promise<void> {
    this.#revocation ??= this.revokeAll(reason).finally(() => {
      this.#revocation = undefined;
    });
    return this.#revocation;
  }

  joined(assignments: readonly GroupAssignment[]): void {
    const { log, streams } = this.#settings;
    this.#generation++;
    this.#rejoining = false;
    log.info(
      { partitions: assignments.map((a) => `${a.topic}[${a.partitions.join(',')}]`) },
      'kafka partitions assigned',
    );
    // A stream from an earlier generation may hold positions past records dropped at the
    // revocation: replace it. (The first join happens inside the first consume(), which then
    // builds its stream for this generation.)
    if (streams.isStale(this.#generation)) streams.retire();
    if (!streams.attached) streams.reopenSoon(0);
  }

  /**
   * Takes every owned partition away from polling: retires the stream, drops what it buffered,
   * then lets the caller commit its finished work (bounded).
   */
  async revokeAll(reason: string): Promise<void> {
    const { options, log, onRevoke, ownership, buffer, streams } = this.#settings;
    const partitions = ownership.releaseAll();
    streams.retire();
    buffer.clear();
    if (partitions.length === 0 || onRevoke === undefined) return;
    log.info({ reason, partitions: partitions.length }, 'kafka partitions revoked');
    const keys = partitions.map((p) => partitionKey(p.topic, p.partition));
    ownership.startRevoking(keys);
    try {
      const outcome = await settleWithin(onRevoke(partitions), options.revokeTimeLimitMs);
      if (outcome === 'timeout') {
        log.warn({ reason }, `onRevoke did not finish within ${options.revokeTimeLimitMs} ms`);
      }
    } catch (error) {
      log.warn({ err: error, reason }, 'onRevoke failed; uncommitted records will be delivered again');
    } finally {
      ownership.finishRevoking(keys);
    }
  }
}
