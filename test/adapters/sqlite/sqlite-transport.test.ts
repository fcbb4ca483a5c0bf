import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SqliteTransport } from '../../../src/adapters/sqlite/sqlite-transport.ts';
import type { Consumer, TransportRecord } from '../../../src/ports/transport.ts';
import { sleep, within } from '../../contracts/contract-helpers.ts';
import { describeTransportContract } from '../../contracts/transport.contract.ts';
import { tempDirectory } from './temp-directory.ts';
import { useTransportFile } from './transport-file.ts';

describeTransportContract('sqlite', async () => {
  const dir = tempDirectory();
  const store = new SqliteTransport({ path: dir.file('transport.db') });
  return {
    store,
    cleanup: async () => {
      await store.close();
      dir.remove();
    },
  };
});

const HOUR_MS = 60 * 60 * 1_000;

describe('sqlite transport (adapter only)', () => {
  const file = useTransportFile();
  const openTransport = (options: { retentionMs?: number } = {}) => file.open(options);

  async function pollAll(consumer: Consumer, count: number): Promise<TransportRecord[]> {
    const received: TransportRecord[] = [];
    while (received.length < count) {
      const batch = await consumer.poll(count - received.length, 1_000);
      assert.ok(batch.length > 0, `expected ${count} records, got ${received.length}`);
      received.push(...batch);
    }
    return received;
  }

  it('keeps records and committed offsets across close and reopen', async () => {
    const first = openTransport();
    await first.ensureTopics([{ name: 'orders', partitions: 1 }]);
    await first.produce(['a', 'b', 'c'].map((value) => ({ topic: 'orders', key: 'k', value })));
    const consumer = await first.consumer({ group: 'g', topics: ['orders'] });
    const [a] = await pollAll(consumer, 3);
    await consumer.commit([{ topic: 'orders', partition: 0, offset: a!.offset + 1 }]);
    await first.close();

    const reopened = openTransport();
    const resumed = await reopened.consumer({ group: 'g', topics: ['orders'] });
    assert.deepEqual(await resumed.committed(), [{ topic: 'orders', partition: 0, offset: 1 }]);
    assert.deepEqual(
      (await pollAll(resumed, 2)).map((record) => record.value),
      ['b', 'c'],
    );
  });

  it('continues offsets after a reopen, even when retention emptied the partition', async () => {
    const first = openTransport({ retentionMs: 0 });
    await first.ensureTopics([{ name: 'orders', partitions: 1 }]);
    await first.produce([1, 2, 3].map((n) => ({ topic: 'orders', key: 'k', value: `v${n}` })));
    const consumer = await first.consumer({ group: 'g', topics: ['orders'] });
    await pollAll(consumer, 3);
    await consumer.commit([{ topic: 'orders', partition: 0, offset: 3 }]);
    assert.equal(await first.applyRetention(Date.now() + 1), 3);
    await first.close();

    const reopened = openTransport();
    await reopened.produce([{ topic: 'orders', key: 'k', value: 'v4' }]);
    const fresh = await reopened.consumer({ group: 'fresh', topics: ['orders'] });
    const [record] = await pollAll(fresh, 1);
    assert.equal(record?.offset, 3, 'offset 3 follows 0..2; none is handed out twice');
    assert.equal(record.value, 'v4');
  });

  it('retention deletes only what every group committed past and what is old enough', async () => {
    const transport = openTransport({ retentionMs: HOUR_MS });
    await transport.ensureTopics([
      { name: 'read', partitions: 1 },
      { name: 'unread', partitions: 1 },
    ]);
    const values = ['v0', 'v1', 'v2', 'v3', 'v4'];
    await transport.produce(values.map((value) => ({ topic: 'read', key: 'k', value })));
    await transport.produce(values.map((value) => ({ topic: 'unread', key: 'k', value })));
    const fast = await transport.consumer({ group: 'fast', topics: ['read'] });
    await fast.commit([{ topic: 'read', partition: 0, offset: 5 }]);
    const slow = await transport.consumer({ group: 'slow', topics: ['read'] });
    await slow.commit([{ topic: 'read', partition: 0, offset: 2 }]);

    assert.equal(await transport.applyRetention(), 0, 'nothing is older than the retention age yet');
    assert.equal(await transport.applyRetention(Date.now() + 2 * HOUR_MS), 2, 'only below the slowest group');

    const late = await transport.consumer({ group: 'late', topics: ['read', 'unread'] });
    const received = await pollAll(late, 8);
    assert.deepEqual(
      received.filter((r) => r.topic === 'read').map((r) => r.value),
      ['v2', 'v3', 'v4'],
    );
    assert.equal(
      received.filter((r) => r.topic === 'unread').length,
      5,
      'a topic no group committed keeps all',
    );
  });

  it('a waiting poll sees records appended by another connection to the same file', async () => {
    const writer = openTransport();
    await writer.ensureTopics([{ name: 'orders', partitions: 2 }]);
    const reader = openTransport();
    const consumer = await reader.consumer({ group: 'g', topics: ['orders'] });
    const polled = consumer.poll(10, 60_000);
    await writer.produce([{ topic: 'orders', key: 'k', value: 'from-elsewhere' }]);
    const received = await within(10_000, 'the other connection to see the record', polled);
    assert.deepEqual(
      received.map((record) => record.value),
      ['from-elsewhere'],
    );
  });

  it('a consumer picks up a topic created after it subscribed', async () => {
    const transport = openTransport();
    const consumer = await transport.consumer({ group: 'g', topics: ['later'] });
    assert.deepEqual(await consumer.poll(10, 50), []);
    await transport.ensureTopics([{ name: 'later', partitions: 3 }]);
    await transport.produce([{ topic: 'later', key: 'k', value: 'hello' }]);
    assert.deepEqual(
      (await pollAll(consumer, 1)).map((record) => record.value),
      ['hello'],
    );
  });

  it('closing the transport waits for a consumer close already under way', async () => {
    const transport = openTransport();
    await transport.ensureTopics([{ name: 'orders', partitions: 1 }]);
    const consumer = await transport.consumer({
      group: 'g',
      topics: ['orders'],
      onRevoke: async () => {
        await sleep(50);
        await consumer.commit([{ topic: 'orders', partition: 0, offset: 7 }]);
      },
    });
    const consumerClosed = consumer.close();
    await transport.close();
    await consumerClosed;

    const reopened = openTransport();
    const resumed = await reopened.consumer({ group: 'g', topics: ['orders'] });
    assert.deepEqual(await resumed.committed(), [{ topic: 'orders', partition: 0, offset: 7 }]);
  });

  it('refuses a record for an unknown topic, writing none of its batch', async () => {
    const transport = openTransport();
    await transport.ensureTopics([{ name: 'orders', partitions: 1 }]);
    await assert.rejects(
      transport.produce([
        { topic: 'orders', key: 'k', value: 'v' },
        { topic: 'missing', key: 'k', value: 'v' },
      ]),
      { code: 'HERALD_INTERNAL' },
    );
    const consumer = await transport.consumer({ group: 'g', topics: ['orders'] });
    assert.deepEqual(await consumer.poll(10, 50), []);
  });

  it('allows one live consumer per group, and another once it closed', async () => {
    const transport = openTransport();
    await transport.ensureTopics([{ name: 'orders', partitions: 1 }]);
    const first = await transport.consumer({ group: 'g', topics: ['orders'] });
    await assert.rejects(transport.consumer({ group: 'g', topics: ['orders'] }), { code: 'HERALD_INTERNAL' });
    await first.close();
    const second = await transport.consumer({ group: 'g', topics: ['orders'] });
    await second.close();
  });

  it('after close, produce fails as unavailable and healthy() is false', async () => {
    const transport = openTransport();
    await transport.ensureTopics([{ name: 'orders', partitions: 1 }]);
    await transport.close();
    await assert.rejects(transport.produce([{ topic: 'orders', key: 'k', value: 'v' }]), {
      code: 'HERALD_UNAVAILABLE',
    });
    assert.equal(await transport.healthy(), false);
  });
});
