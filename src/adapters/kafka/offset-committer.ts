import { HeraldError } from '../../core/domain/errors.ts';
import type { CommitOffset } from '../../ports/transport.ts';
import { kafkaUnavailable } from './kafka-errors.ts';
import { partitionKey } from './record-buffer.ts';

/** What the committer needs from its consumer: three questions and one way to send. */
export interface CommitContext {
  /** Whether this member may commit for the partition now (owned, or being revoked). */
  mayCommit(key: string): boolean;
  /** False mid-rejoin, when the broker would refuse the commit (outside the revoke window). */
  canCommitNow(): boolean;
  send(offsets: readonly CommitOffset[]): Promise<void>;
}

/**
 * Commits exactly the offsets given (next to read), because Kafka stores whatever it is sent:
 * the guards that make that safe live here.
 *
 * - One commit at a time: two in flight could land out of order and move an offset back.
 * - Never backwards: an offset at or below what this member already committed is skipped.
 * - Owned partitions only: after a rebalance, a late commit from the previous owner would rewind
 *   (or skip ahead of) the new owner, so it is dropped.
 * - Not mid-rejoin: the broker refuses it there, and the client answers a refused commit with
 *   another JoinGroup, which would set off a rejoin storm. The caller gets HERALD_UNAVAILABLE and
 *   commits again on its next tick.
 */
export class OffsetCommitter {
  readonly #context: CommitContext;
  readonly #highest = new Map<string, number>();
  #queue: Promise<void> = Promise.resolve();

  constructor(context: CommitContext) {
    this.#context = context;
  }

  commit(offsets: readonly CommitOffset[]): Promise<void> {
    if (offsets.length === 0) return Promise.resolve();
    const run = this.#queue.then(() => this.#commitNow(offsets));
    this.#queue = run.catch(() => {});
    return run;
  }

  /** Resolves once every commit asked for so far has settled. */
  settled(): Promise<void> {
    return this.#queue;
  }

  async #commitNow(offsets: readonly CommitOffset[]): Promise<void> {
    const wanted = new Map<string, CommitOffset>();
    for (const offset of offsets) {
      if (!Number.isSafeInteger(offset.offset) || offset.offset < 0) {
        throw new HeraldError(
          'HERALD_INTERNAL',
          `invalid commit ${offset.topic}[${offset.partition}]@${offset.offset}`,
        );
      }
      const key = partitionKey(offset.topic, offset.partition);
      if (!this.#context.mayCommit(key)) continue;
      if (offset.offset <= (this.#highest.get(key) ?? -1)) continue;
      if (offset.offset > (wanted.get(key)?.offset ?? -1)) wanted.set(key, offset);
    }
    if (wanted.size === 0) return;
    if (!this.#context.canCommitNow()) {
      throw kafkaUnavailable('commit while the group is rebalancing', undefined);
    }
    try {
      await this.#context.send([...wanted.values()]);
    } catch (error) {
      throw kafkaUnavailable('commit offsets', error);
    }
    for (const [key, { offset }] of wanted) this.#highest.set(key, offset);
  }
}
