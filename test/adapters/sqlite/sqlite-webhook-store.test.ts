import { SqliteWebhookStore } from '../../../src/adapters/sqlite/sqlite-webhook-store.ts';
import { describeWebhookStoreContract } from '../../contracts/webhook-store.contract.ts';
import { tempDirectory } from './temp-directory.ts';

describeWebhookStoreContract('sqlite', async () => {
  const dir = tempDirectory();
  const store = new SqliteWebhookStore({ path: dir.file('webhooks.db') });
  return {
    store,
    async cleanup() {
      await store.close();
      dir.remove();
    },
  };
});
