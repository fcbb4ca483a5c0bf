import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { PostgresMediaStore } from '../../../src/adapters/postgres/postgres-media-store.ts';
import { describeMediaStoreContract, mediaOf } from '../../contracts/media-store.contract.ts';
import { ENGINE_URLS, engineSkip } from '../../support/engines.ts';
import { dropSchema, sql, uniqueSchema } from './postgres-test-schema.ts';

const skip = await engineSkip('postgres');

describe('postgres media store', { skip }, () => {
  const schema = uniqueSchema();
  after(async () => dropSchema(schema));
  const open = () =>
    new PostgresMediaStore({ connectionString: ENGINE_URLS.postgres, schema, purgeIntervalMs: 0 });

  describeMediaStoreContract('postgres', async () => {
    const store = open();
    return { store, cleanup: () => store.close() };
  });

  describe('adapter only', () => {
    it('keeps its version beside the other components and one row per image', async () => {
      const store = open();
      try {
        const image = mediaOf();
        await store.put([image, image], Date.now() + 60_000);
        await store.put([image], Date.now() + 120_000);
        const versions = await sql(
          `SELECT version FROM "${schema}".schema_migrations WHERE component = 'media'`,
        );
        assert.deepEqual(versions, [{ version: 1 }]);
        const rows = await sql<{ bytes: number }>(`SELECT bytes FROM "${schema}".media WHERE sha256 = $1`, [
          image.sha256,
        ]);
        assert.deepEqual(rows, [{ bytes: 2048 }]);
      } finally {
        await store.close();
      }
    });
  });
});
