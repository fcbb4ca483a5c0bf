import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { PostgresConfigStore } from '../../../src/adapters/postgres/postgres-config-store.ts';
import { PostgresTemplateStore } from '../../../src/adapters/postgres/postgres-template-store.ts';
import { describeTemplateStoreContract } from '../../contracts/template-store.contract.ts';
import { ENGINE_URLS, engineSkip } from '../../support/engines.ts';
import { approvedTemplate } from '../../support/templates.ts';
import { dropSchema, uniqueSchema } from './postgres-test-schema.ts';

const skip = await engineSkip('postgres');

describe('postgres template store', { skip }, () => {
  const schema = uniqueSchema();
  after(async () => dropSchema(schema));

  it("shares herald's schema with the config store, whose old global `templates` table stays apart", async () => {
    const config = new PostgresConfigStore({ connectionString: ENGINE_URLS.postgres, schema });
    const store = new PostgresTemplateStore({ connectionString: ENGINE_URLS.postgres, schema });
    try {
      await config.getRemoteConfig();
      const template = approvedTemplate({ clientId: 'shop', code: 'T1', body: 'hi' }, ['nhn-alimtalk']);
      assert.equal(await store.save(template, 0), true);
      assert.deepEqual(await store.get('shop', 'T1'), template);
    } finally {
      await Promise.all([config.close(), store.close()]);
    }
  });

  describeTemplateStoreContract('postgres', async () => {
    const store = new PostgresTemplateStore({ connectionString: ENGINE_URLS.postgres, schema });
    return { store, cleanup: () => store.close() };
  });
});
