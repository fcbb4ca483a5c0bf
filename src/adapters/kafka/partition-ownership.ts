import type { GroupAssignment } from '@platformatic/kafka';
import type { TopicPartition } from '../../ports/transport.ts';
import { partitionKey } from './record-buffer.ts';

/**
 * The partitions this member answers for, by `partitionKey`: those of the current assignment,
 * and those given up but still in onRevoke (see GroupRebalance).
 */
export class PartitionOwnership {
  /** Partitions of the current assignment whose records poll may hand out. */
  readonly #owned = new Map<string, TopicPartition>();
  /** Partitions whose onRevoke is running: their commits are still accepted. */
  readonly #revoking = new Set<string>();

  owns(key: string): boolean {
    return this.#owned.has(key);
  }

  /** Whether this member may commit for the partition now (owned, or being revoked). */
  mayCommit(key: string): boolean {
    return this.#owned.has(key) || this.#revoking.has(key);
  }

  /** Whether some onRevoke is running. */
  get revoking(): boolean {
    return this.#revoking.size > 0;
  }

  /** Owns exactly these partitions from now on. */
  assign(assignments: readonly GroupAssignment[]): void {
    this.#owned.clear();
    for (const { topic, partitions } of assignments) {
      for (const partition of partitions)
        this.#owned.set(partitionKey(topic, partition), { topic, partition });
    }
  }

  /** Owns nothing from now on; returns what was owned. */
  releaseAll(): TopicPartition[] {
    const partitions = [...this.#owned.values()];
    this.#owned.clear();
    return partitions;
  }

  startRevoking(keys: readonly string[]): void {
    for (const key of keys) this.#revoking.add(key);
  }

  finishRevoking(keys: readonly string[]): void {
    for (const key of keys) this.#revoking.delete(key);
  }
}
