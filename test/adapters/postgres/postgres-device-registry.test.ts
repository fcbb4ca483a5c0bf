import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { PostgresDeviceRegistry } from '../../../src/adapters/postgres/postgres-device-registry.ts';
import { hashRecipient } from '../../../src/core/identity/recipient-privacy.ts';
import { describeDeviceRegistryContract, fcmToken } from '../../contracts/device-registry.contract.ts';
import { ENGINE_URLS, engineSkip } from '../../support/engines.ts';
import { TcpProxy } from '../../support/tcp-proxy.ts';
import { dropSchema, sql, uniqueSchema } from './postgres-test-schema.ts';

const skip = await engineSkip('postgres');

describe('postgres device registry', { skip }, () => {
  const schema = uniqueSchema();
  after(async () => dropSchema(schema));
  const open = (connectionString = ENGINE_URLS.postgres) =>
    new PostgresDeviceRegistry({ connectionString, schema });

  describeDeviceRegistryContract('postgres', async () => {
    const store = open();
    return { store, cleanup: () => store.close() };
  });

  describe('adapter only', () => {
    const registration = (token: string) => ({
      clientId: 'shop',
      token,
      tokenHash: hashRecipient(token),
      provider: 'fcm' as const,
      platform: 'android' as const,
      app: 'com.example.shop',
      userId: 'user-1',
    });

    it('keeps its version beside the other components, with the look-up indexes', async () => {
      const store = open();
      try {
        await store.listForUser('shop', 'nobody');
        const versions = await sql(
          `SELECT version FROM "${schema}".schema_migrations WHERE component = 'devices'`,
        );
        assert.deepEqual(versions, [{ version: 1 }]);
        const indexes = await sql<{ indexdef: string }>(
          'SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = $2 ORDER BY indexname',
          [schema, 'devices'],
        );
        assert.deepEqual(
          indexes.map((row) => row.indexdef.replace(/INDEX \S+ ON \S+ USING /, '')),
          ['CREATE btree (client_id, user_id)', 'CREATE UNIQUE btree (client_id, token_hash)'],
        );
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
        await store.put(registration(fcmToken()), 1_000);
        await proxy.cut();
        await assert.rejects(store.put(registration(fcmToken()), 2_000), {
          code: 'HERALD_UNAVAILABLE',
          retryable: true,
        });
        await assert.rejects(store.liveDevicesOf('shop', ['user-1']), { code: 'HERALD_UNAVAILABLE' });
        assert.equal(await store.healthy(), false);
        await proxy.restore();
        assert.equal((await store.liveDevicesOf('shop', ['user-1'])).get('user-1')!.length >= 1, true);
      } finally {
        await store.close();
        await proxy.cut();
      }
    });
  });
});
