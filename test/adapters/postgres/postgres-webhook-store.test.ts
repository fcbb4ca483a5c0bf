import { after, describe } from 'node:test';
import { PostgresWebhookStore } from '../../../src/adapters/postgres/postgres-webhook-store.ts';
import { describeWebhookStoreContract } from '../../contracts/webhook-store.contract.ts';
import { ENGINE_URLS, engineSkip } from '../../support/engines.ts';
import { dropSchema, uniqueSchema } from './postgres-test-schema.ts';

const skip = await engineSkip('postgres');

describe('postgres webhook store', { skip }, () => {
  const schema = uniqueSchema();
  after(async () => dropSchema(schema));

  describeWebhookStoreContract('postgres', async () => {
    const store = new PostgresWebhookStore({ connectionString: ENGINE_URLS.postgres, schema });
    return { store, cleanup: () => store.close() };
  });
});
