import { after, describe } from 'node:test';
import { PostgresHistoryStats } from '../../../src/adapters/postgres/postgres-history-stats.ts';
import { PostgresHistoryStore } from '../../../src/adapters/postgres/postgres-history-store.ts';
import { describeHistoryStatsContract } from '../../contracts/history-stats.contract.ts';
import { ENGINE_URLS, engineSkip } from '../../support/engines.ts';
import { dropSchema, uniqueSchema } from './postgres-test-schema.ts';

const skip = await engineSkip('postgres');

describe('postgres history stats', { skip }, () => {
  const schema = uniqueSchema();
  after(async () => dropSchema(schema));

  describeHistoryStatsContract('postgres', async () => {
    const history = new PostgresHistoryStore({ connectionString: ENGINE_URLS.postgres, schema });
    const stats = new PostgresHistoryStats({ connectionString: ENGINE_URLS.postgres, schema });
    return {
      store: { history, stats },
      cleanup: async () => {
        await Promise.all([history.close(), stats.close()]);
      },
    };
  });
});
