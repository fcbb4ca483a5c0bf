import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { PostgresScheduleStore } from '../../../src/adapters/postgres/postgres-schedule-store.ts';
import { describeScheduleStoreContract } from '../../contracts/schedule-store.contract.ts';
import { ENGINE_URLS, engineSkip } from '../../support/engines.ts';
import { TcpProxy } from '../../support/tcp-proxy.ts';
import { dropSchema, sql, uniqueSchema } from './postgres-test-schema.ts';

const skip = await engineSkip('postgres');

describe('postgres schedule store', { skip }, () => {
  const schema = uniqueSchema();
  after(async () => dropSchema(schema));
  const open = (connectionString = ENGINE_URLS.postgres) =>
    new PostgresScheduleStore({ connectionString, schema });

  describeScheduleStoreContract('postgres', async () => {
    const store = open();
    return { store, reopen: async () => open(), cleanup: () => store.close() };
  });

  describe('adapter only', () => {
    it('keeps its versions beside the other components in the schema', async () => {
      const store = open();
      try {
        await store.count('q');
        const rows = await sql(
          `SELECT version FROM "${schema}".schema_migrations WHERE component = 'schedule'`,
        );
        assert.deepEqual(rows, [{ version: 1 }]);
      } finally {
        await store.close();
      }
    });

    it('fails as unavailable during an outage and works again once PostgreSQL is back', async () => {
      const target = new URL(ENGINE_URLS.postgres);
      const proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port) });
      target.host = `127.0.0.1:${proxy.port}`;
      const store = open(target.toString());
      try {
        await store.park([{ queue: 'outage', id: 'before', dueAt: 1, value: 'v' }]);
        await proxy.cut();
        const during = { queue: 'outage', id: 'during', dueAt: 1, value: 'v' };
        await assert.rejects(store.park([during]), { code: 'HERALD_UNAVAILABLE', retryable: true });
        await assert.rejects(store.claimDue('outage', 1, 10, 1_000), { code: 'HERALD_UNAVAILABLE' });
        assert.equal(await store.healthy(), false);
        await proxy.restore();
        await store.park([during]);
        assert.equal(await store.count('outage'), 2);
      } finally {
        await store.close();
        await proxy.cut();
      }
    });
  });
});
