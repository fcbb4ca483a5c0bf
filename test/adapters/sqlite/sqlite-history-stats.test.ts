import { SqliteHistoryStats } from '../../../src/adapters/sqlite/sqlite-history-stats.ts';
import { SqliteHistoryStore } from '../../../src/adapters/sqlite/sqlite-history-store.ts';
import { describeHistoryStatsContract } from '../../contracts/history-stats.contract.ts';
import { tempDirectory } from './temp-directory.ts';

describeHistoryStatsContract('sqlite', async () => {
  const dir = tempDirectory();
  const path = dir.file('history.db');
  const history = new SqliteHistoryStore({ path });
  const stats = new SqliteHistoryStats({ path });
  return {
    store: { history, stats },
    cleanup: async () => {
      await Promise.all([history.close(), stats.close()]);
      dir.remove();
    },
  };
});
