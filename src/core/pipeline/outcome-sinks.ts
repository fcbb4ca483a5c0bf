import type { Logger } from '../../observability/logger.ts';
import type { DedupStore } from '../../ports/dedup-store.ts';
import type { DeviceRegistry } from '../../ports/device-registry.ts';
import type { HistoryStore, MessageEvent, UserPushExpansion } from '../../ports/history-store.ts';
import type { OutgoingRecord, Transport } from '../../ports/transport.ts';
import type { RemoteConfigDocument } from '../domain/remote-config.ts';
import { BatchingWriter } from './batching-writer.ts';

/**
 * Where the outcomes of a lane go, each batched into one store call: history events and device
 * messages, dedup confirmations and releases, records for the retry topic, and dead device tokens. History and retry records are
 * retried until written (a record finishes only when its outcome is durable); dedup writes fail
 * open, because a lost confirmation costs at worst a duplicate inside the window, never a loss.
 */
export class OutcomeSinks {
  readonly history: BatchingWriter<MessageEvent>;
  /** The device messages pushes to users were resolved into (retried until written, like history). */
  readonly expansions: BatchingWriter<UserPushExpansion>;
  readonly confirms: BatchingWriter<string>;
  readonly releases: BatchingWriter<string>;
  readonly produce: BatchingWriter<OutgoingRecord>;
  /**
   * Tokens a push service called dead, marked in the device registry: one call per client per
   * flush. Fails open like the dedup writes: a token left live costs one more dead-token answer.
   */
  readonly deadTokens: BatchingWriter<DeadToken>;

  constructor(deps: {
    readonly history: Pick<HistoryStore, 'appendEvents' | 'recordExpanded'>;
    readonly dedup: Pick<DedupStore, 'confirm' | 'release'>;
    readonly transport: Pick<Transport, 'produce'>;
    readonly devices?: Pick<DeviceRegistry, 'markDead'>;
    readonly config: () => RemoteConfigDocument;
    readonly logger: Logger;
  }) {
    const warn = (what: string) => (error: unknown, items: number) =>
      deps.logger.warn({ err: error, items }, `${what} failed`);
    this.history = new BatchingWriter({
      flush: (events) => deps.history.appendEvents(events),
      onFlushError: warn('history write'),
    });
    this.expansions = new BatchingWriter({
      flush: (expansions) => deps.history.recordExpanded(expansions),
      onFlushError: warn('history write of device messages'),
    });
    this.deadTokens = new BatchingWriter({
      flush: (deaths) => markDead(deps.devices, deaths),
      onError: 'reject',
      onFlushError: warn('marking dead device tokens'),
    });
    this.confirms = new BatchingWriter({
      flush: (keys) => deps.dedup.confirm(keys, deps.config().dedup.windowMs),
      onError: 'reject',
      onFlushError: warn('dedup confirm'),
    });
    this.releases = new BatchingWriter({
      flush: (keys) => deps.dedup.release(keys),
      onError: 'reject',
      onFlushError: warn('dedup release'),
    });
    this.produce = new BatchingWriter({
      flush: (records) => deps.transport.produce(records),
      onFlushError: warn('retry produce'),
    });
  }

  /** Writes everything buffered (shutdown). Dedup writes that fail are dropped: fail-open. */
  async drain(): Promise<void> {
    await Promise.all([
      this.history.drain(),
      this.expansions.drain(),
      this.deadTokens.drain().catch(() => {}),
      this.produce.drain(),
      this.confirms.drain().catch(() => {}),
      this.releases.drain().catch(() => {}),
    ]);
  }
}

/** A device token the push service called dead, to mark in the registry (by its hash, never in clear). */
export interface DeadToken {
  readonly clientId: string;
  readonly tokenHash: string;
  /** The vendor's code (UNREGISTERED, Unregistered). */
  readonly reason: string;
  readonly at: number;
}

async function markDead(
  devices: Pick<DeviceRegistry, 'markDead'> | undefined,
  deaths: readonly DeadToken[],
): Promise<void> {
  if (!devices) return;
  const byClient = Map.groupBy(deaths, (death) => death.clientId);
  await Promise.all(
    [...byClient].map(([clientId, group]) =>
      devices.markDead(
        clientId,
        group.map(({ tokenHash, reason }) => ({ tokenHash, reason })),
        Math.max(...group.map((death) => death.at)),
      ),
    ),
  );
}
