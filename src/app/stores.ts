import { join } from 'node:path';
import { SqliteConfigStore } from '../adapters/sqlite/sqlite-config-store.ts';
import { SqliteDedupStore } from '../adapters/sqlite/sqlite-dedup-store.ts';
import { SqliteHistoryStore } from '../adapters/sqlite/sqlite-history-store.ts';
import { SqliteTransport } from '../adapters/sqlite/sqlite-transport.ts';
import type { Logger } from '../observability/logger.ts';
import type { ConfigStore } from '../ports/config-store.ts';
import type { DedupStore } from '../ports/dedup-store.ts';
import type { HistoryStore } from '../ports/history-store.ts';
import type { Transport } from '../ports/transport.ts';

/** The four stores herald runs on, whatever adapters sit behind them. */
export interface Stores {
  readonly transport: Transport;
  readonly dedup: DedupStore;
  readonly history: HistoryStore;
  readonly config: ConfigStore;
}

/**
 * The embedded default: every store in its own SQLite file under the data directory (one file
 * each, so their writes do not queue behind one lock), nothing to install or run beside herald.
 */
export function openEmbeddedStores(dataDir: string, logger: Logger): Stores {
  const onBackgroundError = (error: unknown) =>
    logger.warn({ err: error }, 'embedded store housekeeping failed');
  return {
    transport: new SqliteTransport({ path: join(dataDir, 'transport.db'), onBackgroundError }),
    dedup: new SqliteDedupStore({ path: join(dataDir, 'dedup.db'), onBackgroundError }),
    history: new SqliteHistoryStore({ path: join(dataDir, 'history.db') }),
    config: openEmbeddedConfigStore(dataDir),
  };
}

/** Only the config store (API keys, templates), for operator commands that need nothing else. */
export function openEmbeddedConfigStore(dataDir: string): ConfigStore {
  return new SqliteConfigStore({ path: join(dataDir, 'config.db') });
}

/** Closes every store; one failing to close does not keep the others open. */
export async function closeStores(stores: Stores): Promise<void> {
  await Promise.allSettled([
    stores.transport.close(),
    stores.dedup.close(),
    stores.history.close(),
    stores.config.close(),
  ]);
}
