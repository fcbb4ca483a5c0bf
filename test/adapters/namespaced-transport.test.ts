import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NamespacedTransport } from '../../src/adapters/namespaced-transport.ts';
import { SqliteTransport } from '../../src/adapters/sqlite/sqlite-transport.ts';
import { describeTransportContract } from '../contracts/transport.contract.ts';
import { tempDirectory } from './sqlite/temp-directory.ts';

describeTransportContract('namespaced sqlite', async () => {
  const dir = tempDirectory();
  const inner = new SqliteTransport({ path: dir.file('transport.db') });
  return {
    store: new NamespacedTransport(inner, 'ns1'),
    cleanup: async () => {
      await inner.close();
      dir.remove();
    },
  };
});

describe('NamespacedTransport', () => {
  it('keeps two namespaces on one transport apart, and hands back plain topic names', async () => {
    const dir = tempDirectory();
    const inner = new SqliteTransport({ path: dir.file('transport.db') });
    try {
      const staging = new NamespacedTransport(inner, 'staging');
      const production = new NamespacedTransport(inner, 'production');
      for (const t of [staging, production])
        await t.ensureTopics([{ name: 'herald.batch.sms', partitions: 1 }]);
      await staging.produce([{ topic: 'herald.batch.sms', key: 'k', value: 'staging only' }]);
      const prodConsumer = await production.consumer({ group: 'g', topics: ['herald.batch.sms'] });
      assert.deepEqual(await prodConsumer.poll(10, 100), []);
      await prodConsumer.close();
      const stagingConsumer = await staging.consumer({ group: 'g', topics: ['herald.batch.sms'] });
      const [record] = await stagingConsumer.poll(10, 1_000);
      assert.equal(record?.topic, 'herald.batch.sms');
      assert.equal(record?.value, 'staging only');
      await stagingConsumer.commit([{ topic: 'herald.batch.sms', partition: 0, offset: 1 }]);
      assert.deepEqual(await stagingConsumer.committed(), [
        { topic: 'herald.batch.sms', partition: 0, offset: 1 },
      ]);
      await stagingConsumer.close();
    } finally {
      await inner.close();
      dir.remove();
    }
  });
});
