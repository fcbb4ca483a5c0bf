import { join } from 'node:path';
import { SqliteConfigStore } from '../../src/adapters/sqlite/sqlite-config-store.ts';
import { SqliteScheduleStore } from '../../src/adapters/sqlite/sqlite-schedule-store.ts';
import { SqliteTransport } from '../../src/adapters/sqlite/sqlite-transport.ts';
import { adRetryWorker } from './night-ads.ts';

/**
 * The ad lane's retry worker on the embedded stores of a data directory, as its own process, with a
 * clock that starts at a given instant: what a kill test SIGKILLs in the middle of a night or a
 * morning. Prints `ready` once it polls; stops gracefully on SIGTERM.
 *
 *   node test/support/retry-worker-process.ts <dataDir> <clockStartEpochMs> <nightAdsPerSecond>
 */
const [dataDir, clockStart, nightAdsPerSecond] = process.argv.slice(2) as [string, string, string];
const startedAt = Date.now();
const transport = new SqliteTransport({ path: join(dataDir, 'transport.db') });
const schedule = new SqliteScheduleStore({ path: join(dataDir, 'schedule.db') });
const optOuts = new SqliteConfigStore({ path: join(dataDir, 'config.db') });
const worker = adRetryWorker({
  transport,
  schedule,
  optOuts,
  now: () => Number(clockStart) + (Date.now() - startedAt),
  nightAdsPerSecond: Number(nightAdsPerSecond),
  maxWaiting: 1_000,
});
await worker.start();
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  void worker
    .stop()
    .then(() => Promise.all([transport.close(), schedule.close(), optOuts.close()]))
    .then(() => process.exit(0));
});
