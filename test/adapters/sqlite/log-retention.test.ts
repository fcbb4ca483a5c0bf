import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { describe, it } from 'node:test';
import { openDatabase } from '../../../src/adapters/sqlite/open-database.ts';
import type { SqliteTransport } from '../../../src/adapters/sqlite/sqlite-transport.ts';
import { TRANSPORT_MIGRATIONS } from '../../../src/adapters/sqlite/transport-schema.ts';
import type { Consumer } from '../../../src/ports/transport.ts';
import { useTransportFile } from './transport-file.ts';

/** Far enough ahead that every record is past any retention age used here. */
const LATER = () => Date.now() + 1_000;

describe('embedded log retention', () => {
  const file = useTransportFile();
  const openTransport = (options: { retentionBatchSize?: number } = {}) =>
    file.open({ retentionMs: 0, ...options });

  /** Records left in the file, read through a connection of the test's own. */
  function recordsLeft(): number {
    const db = new DatabaseSync(file.path, { readOnly: true });
    try {
      return Number(db.prepare('SELECT count(*) AS n FROM records').get()?.n);
    } finally {
      db.close();
    }
  }

  async function fill(transport: SqliteTransport, topic: string, count: number, body = 'x'): Promise<void> {
    await transport.ensureTopics([{ name: topic, partitions: 1 }]);
    const values = Array.from({ length: count }, (_, i) => `${body}-${i}`);
    await transport.produce(values.map((value) => ({ topic, key: 'k', value })));
  }

  const commit = (consumer: Consumer, topic: string, offset: number) =>
    consumer.commit([{ topic, partition: 0, offset }]);

  it('keeps a topic whole while a group that reads it has not committed yet', async () => {
    const transport = openTransport();
    await fill(transport, 'orders', 5);
    const fast = await transport.consumer({ group: 'fast', topics: ['orders'] });
    await commit(fast, 'orders', 5);
    const idle = await transport.consumer({ group: 'idle', topics: ['orders'] });

    assert.equal(await transport.applyRetention(LATER()), 0, "the idle group's records stay");
    await commit(idle, 'orders', 3);
    assert.equal(await transport.applyRetention(LATER()), 3, 'up to the slowest reader');
    assert.equal(recordsLeft(), 2);
  });

  it('keeps a group as a reader after its consumer closed', async () => {
    const transport = openTransport();
    await fill(transport, 'orders', 4);
    const reader = await transport.consumer({ group: 'reader', topics: ['orders'] });
    await reader.close();
    const other = await transport.consumer({ group: 'other', topics: ['orders'] });
    await commit(other, 'orders', 4);
    assert.equal(await transport.applyRetention(LATER()), 0, 'reader comes back for them');
  });

  it('deletes in bounded batches, letting an append through between two of them', async () => {
    const transport = openTransport({ retentionBatchSize: 100 });
    await fill(transport, 'orders', 1_000);
    const consumer = await transport.consumer({ group: 'g', topics: ['orders'] });
    await commit(consumer, 'orders', 1_000);

    const pruning = transport.applyRetention(LATER());
    await transport.produce([{ topic: 'orders', key: 'k', value: 'appended-during-retention' }]);
    assert.equal(recordsLeft(), 1_000 - 100 + 1, 'one batch of 100 went before the append');
    assert.equal(await pruning, 1_000);
    assert.equal(recordsLeft(), 1, 'the uncommitted append stays');
  });

  it('reuses freed pages: the file stops growing once retention keeps up', async () => {
    const transport = openTransport();
    const consumer = await transport.consumer({ group: 'g', topics: ['orders'] });
    const pages = () => {
      const db = new DatabaseSync(file.path, { readOnly: true });
      try {
        return Number(db.prepare('PRAGMA page_count').get()?.page_count);
      } finally {
        db.close();
      }
    };
    const cycle = async (n: number) => {
      await fill(transport, 'orders', 500, `${n}`.padEnd(1_000, '.'));
      await commit(consumer, 'orders', 500 * (n + 1));
      await transport.applyRetention(LATER());
    };
    for (let n = 0; n < 2; n++) await cycle(n);
    const warm = pages();
    for (let n = 2; n < 20; n++) await cycle(n);
    // Without retention 20 cycles are 10x the data of 2; with it, the same pages serve again.
    const final = pages();
    assert.ok(final <= warm * 1.1, `${final} pages after 20 cycles vs ${warm} after 2`);
  });

  it("zeroes a pruned record's content on disk (secure_delete)", async () => {
    const transport = openTransport();
    await fill(transport, 'orders', 50, 'PRIVATE-BODY-010-1234-5678');
    const consumer = await transport.consumer({ group: 'g', topics: ['orders'] });
    await commit(consumer, 'orders', 50);
    assert.equal(await transport.applyRetention(LATER()), 50);
    await transport.close();
    // The last connection's close checkpoints the WAL into the file and removes it.
    assert.equal(readFileSync(file.path).includes('PRIVATE-BODY'), false);
  });

  it('counts groups that committed before subscriptions were recorded as readers', async () => {
    const old = openDatabase({
      path: file.path,
      component: 'transport',
      migrations: TRANSPORT_MIGRATIONS.slice(0, 1),
    });
    old.exec(`INSERT INTO topics (topic_id, name, partitions) VALUES (1, 'orders', 1);
              INSERT INTO partition_heads VALUES (1, 0, 0);
              INSERT INTO group_offsets VALUES ('before', 1, 0, 0);`);
    old.close();
    const transport = openTransport();
    await fill(transport, 'orders', 3);
    const after = await transport.consumer({ group: 'after', topics: ['orders'] });
    await commit(after, 'orders', 3);
    assert.equal(await transport.applyRetention(LATER()), 0, "the earlier group's floor (0) holds");
  });
});
