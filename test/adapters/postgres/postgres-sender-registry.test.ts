import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { PostgresSenderRegistry } from '../../../src/adapters/postgres/postgres-sender-registry.ts';
import { describeSenderRegistryContract } from '../../contracts/sender-registry.contract.ts';
import { ENGINE_URLS, engineSkip } from '../../support/engines.ts';
import { TcpProxy } from '../../support/tcp-proxy.ts';
import { dropSchema, sql, uniqueSchema } from './postgres-test-schema.ts';

const skip = await engineSkip('postgres');

describe('postgres sender registry', { skip }, () => {
  const schema = uniqueSchema();
  after(async () => dropSchema(schema));
  const open = (connectionString = ENGINE_URLS.postgres, now?: () => number) =>
    new PostgresSenderRegistry({ connectionString, schema, ...(now && { now }) });

  describeSenderRegistryContract('postgres', async (now) => {
    const store = open(ENGINE_URLS.postgres, now);
    return { store, cleanup: () => store.close() };
  });

  describe('adapter only', () => {
    it('keeps its version beside the other components', async () => {
      const store = open();
      try {
        await store.listSenderNumbers('shop');
        const versions = await sql(
          `SELECT version FROM "${schema}".schema_migrations WHERE component = 'senders' ORDER BY version`,
        );
        assert.deepEqual(versions, [{ version: 1 }, { version: 2 }]);
      } finally {
        await store.close();
      }
    });

    it('lets two concurrent PUTs of one list take turns: one of them wins whole', async () => {
      const a = open();
      const b = open();
      try {
        const lists = Array.from({ length: 6 }, (_, i) => [
          { number: `02${String(1_000_000 + i).padStart(8, '0')}`, isDefault: true },
          { number: '15881234', isDefault: false },
        ]);
        await Promise.all(lists.map((list, i) => (i % 2 ? a : b).putSenderNumbers('race', list)));
        const stored = (await a.listSenderNumbers('race')).map((n) => n.number).sort();
        assert.ok(
          lists.some((list) => JSON.stringify(list.map((n) => n.number).sort()) === JSON.stringify(stored)),
          `one whole list, got ${stored.join(',')}`,
        );
      } finally {
        await a.close();
        await b.close();
      }
    });

    it('fails as unavailable during an outage and works again once PostgreSQL is back', async () => {
      const target = new URL(ENGINE_URLS.postgres);
      const proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port) });
      target.host = `127.0.0.1:${proxy.port}`;
      const store = open(target.toString());
      try {
        await store.putSenderNumbers('shop', [{ number: '0212345678', isDefault: true }]);
        await proxy.cut();
        await assert.rejects(store.listSenderNumbers('shop'), { code: 'HERALD_UNAVAILABLE' });
        assert.equal(await store.healthy(), false);
        await proxy.restore();
        assert.equal((await store.listSenderNumbers('shop')).length, 1);
      } finally {
        await store.close();
        await proxy.cut();
      }
    });
  });
});
