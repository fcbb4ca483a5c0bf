import { after, describe } from 'node:test';
import { PostgresTemplateStore } from '../../../src/adapters/postgres/postgres-template-store.ts';
import { describeTemplateStoreContract } from '../../contracts/template-store.contract.ts';
import { ENGINE_URLS, engineSkip } from '../../support/engines.ts';
import { dropSchema, uniqueSchema } from './postgres-test-schema.ts';

const skip = await engineSkip('postgres');

describe('postgres template store', { skip }, () => {
  const schema = uniqueSchema();
  after(async () => dropSchema(schema));

  describeTemplateStoreContract('postgres', async () => {
    const store = new PostgresTemplateStore({ connectionString: ENGINE_URLS.postgres, schema });
    return { store, cleanup: () => store.close() };
  });
});
