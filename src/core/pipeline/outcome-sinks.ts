import type { Logger } from '../../observability/logger.ts';
import type { DedupStore } from '../../ports/dedup-store.ts';
import type { HistoryStore, MessageEvent } from '../../ports/history-store.ts';
import type { OutgoingRecord, Transport } from '../../ports/transport.ts';
import type { RemoteConfigDocument } from '../domain/remote-config.ts';
import { BatchingWriter } from './batching-writer.ts';

/**
 * Where the outcomes of a lane go, each batched into one store call: history events, dedup
 * confirmations and releases, and records for the retry topic. History and retry records are
 * retried until written (a record finishes only when its outcome is durable); dedup writes fail
 * open, because a lost confirmation costs at worst a duplicate inside the window, never a loss.
 */
export class OutcomeSinks {
  readonly history: BatchingWriter<MessageEvent>;
  readonly confirms: BatchingWriter<string>;
  readonly releases: BatchingWriter<string>;
  readonly produce: BatchingWriter<OutgoingRecord>;

  constructor(deps: {
    readonly history: Pick<HistoryStore, 'appendEvents'>;
    readonly dedup: Pick<DedupStore, 'confirm' | 'release'>;
    readonly transport: Pick<Transport, 'produce'>;
    readonly config: () => RemoteConfigDocument;
    readonly logger: Logger;
  }) {
    const warn = (what: string) => (error: unknown, items: number) =>
      deps.logger.warn({ err: error, items }, `${what} failed`);
    this.history = new BatchingWriter({
      flush: (events) => deps.history.appendEvents(events),
      onFlushError: warn('history write'),
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
      this.produce.drain(),
      this.confirms.drain().catch(() => {}),
      this.releases.drain().catch(() => {}),
    ]);
  }
}
