import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type {
  Consumer,
  ConsumerOptions,
  OutgoingRecord,
  TopicPartition,
  Transport,
  TransportRecord,
} from '../../src/ports/transport.ts';
import type { ContractFactory } from './contract-helpers.ts';
import { sleep, uniqueName, within } from './contract-helpers.ts';

/** How long a test waits for records that are already in the log. */
const DRAIN_TIMEOUT_MS = 10_000;

/**
 * The behaviour every transport adapter must show: Kafka semantics as herald relies on them
 * (per-key order, at-least-once redelivery after the last commit, independent groups, fair polling).
 */
export function describeTransportContract(name: string, makeTransport: ContractFactory<Transport>): void {
  describe(`${name} transport contract`, () => {
    let transport: Transport;
    let cleanup: () => Promise<void>;
    let consumers: Consumer[];

    beforeEach(async () => {
      ({ store: transport, cleanup } = await makeTransport());
      consumers = [];
    });
    afterEach(async () => {
      await Promise.allSettled(consumers.map((consumer) => consumer.close()));
      await cleanup();
    });

    async function newTopic(partitions: number): Promise<string> {
      const topic = uniqueName('contract-topic');
      await transport.ensureTopics([{ name: topic, partitions }]);
      return topic;
    }

    async function consumerOf(topic: string, options: Partial<ConsumerOptions> = {}): Promise<Consumer> {
      const consumer = await transport.consumer({ group: uniqueName('group'), topics: [topic], ...options });
      consumers.push(consumer);
      return consumer;
    }

    function records(topic: string, key: string, count: number, prefix = key): OutgoingRecord[] {
      return Array.from({ length: count }, (_, i) => ({ topic, key, value: `${prefix}-${i}` }));
    }

    it('delivers the records of one key from one partition, in produce order, with rising offsets', async () => {
      const topic = await newTopic(4);
      await transport.produce(records(topic, 'alpha', 5));
      await transport.produce([...records(topic, 'beta', 3), ...records(topic, 'alpha', 5, 'alpha-late')]);
      const received = await drain(await consumerOf(topic), 13);
      const alpha = received.filter((record) => record.key === 'alpha');
      assert.deepEqual(
        alpha.map((record) => record.value),
        [...records(topic, 'alpha', 5), ...records(topic, 'alpha', 5, 'alpha-late')].map((r) => r.value),
      );
      assert.equal(new Set(alpha.map((record) => record.partition)).size, 1, 'one key, one partition');
      assertOffsetsRiseWithinPartitions(received);
    });

    it('returns records with topic, key, value and the append time', async () => {
      const topic = await newTopic(2);
      const value = JSON.stringify({ body: '안녕하세요, 주문하신 음식이 출발했어요 🛵', n: 1 });
      const before = Date.now();
      await transport.produce([{ topic, key: '010-1234-5678', value }]);
      const after = Date.now();
      const [record] = await drain(await consumerOf(topic), 1);
      assert.equal(record?.topic, topic);
      assert.equal(record.key, '010-1234-5678');
      assert.equal(record.value, value);
      assert.ok(record.partition >= 0 && record.partition < 2);
      // Broker clocks may differ a little from ours; the timestamp must still be the append time.
      assert.ok(record.timestamp >= before - 5_000 && record.timestamp <= after + 5_000, 'timestamp');
    });

    it('a new group reads records produced before it existed', async () => {
      const topic = await newTopic(3);
      await transport.produce(records(topic, 'early', 4));
      const received = await drain(await consumerOf(topic), 4);
      assert.deepEqual(
        received.map((record) => record.value),
        ['early-0', 'early-1', 'early-2', 'early-3'],
      );
    });

    it('keeps an existing topic as it is when ensureTopics asks again', async () => {
      const topic = await newTopic(2);
      await transport.ensureTopics([{ name: topic, partitions: 8 }]);
      const keys = Array.from({ length: 40 }, (_, i) => `key-${i}`);
      await transport.produce(keys.map((key) => ({ topic, key, value: key })));
      const received = await drain(await consumerOf(topic), keys.length);
      assert.ok(received.every((record) => record.partition < 2));
    });

    it('a poll waits for data and returns when a record arrives', { timeout: 15_000 }, async () => {
      const topic = await newTopic(2);
      const consumer = await consumerOf(topic);
      assert.deepEqual(await consumer.poll(10, 100), []);
      const polled = consumer.poll(10, 60_000);
      await sleep(100);
      await transport.produce([{ topic, key: 'late', value: 'arrived' }]);
      const received = await within(10_000, 'the waiting poll to return the new record', polled);
      assert.deepEqual(
        received.map((record) => record.value),
        ['arrived'],
      );
    });

    it('a poll resolves empty after maxWaitMs when nothing arrives', async () => {
      const topic = await newTopic(1);
      const consumer = await consumerOf(topic);
      const received = await within(10_000, 'an empty poll to give up', consumer.poll(10, 200));
      assert.deepEqual(received, []);
    });

    it('a poll resolves at once when its signal aborts', async () => {
      const topic = await newTopic(1);
      const consumer = await consumerOf(topic);
      const controller = new AbortController();
      const polled = consumer.poll(10, 120_000, controller.signal);
      await sleep(50);
      controller.abort();
      assert.deepEqual(await within(5_000, 'the aborted poll to resolve', polled), []);
      // The consumer still works after an aborted poll.
      await transport.produce([{ topic, key: 'k', value: 'after-abort' }]);
      assert.deepEqual(
        (await drain(consumer, 1)).map((record) => record.value),
        ['after-abort'],
      );
    });

    it('closing a consumer wakes its waiting poll', async () => {
      const topic = await newTopic(1);
      const consumer = await consumerOf(topic);
      const polled = consumer.poll(10, 120_000);
      await sleep(50);
      await consumer.close();
      assert.deepEqual(await within(5_000, 'the poll to resolve on close', polled), []);
    });

    it('a new consumer of a group resumes after the last commit, redelivering what followed it', async () => {
      const topic = await newTopic(2);
      const group = uniqueName('group');
      await transport.produce(records(topic, 'order-1', 10));
      const first = await consumerOf(topic, { group });
      const received = await drain(first, 10);
      const fifth = received[4]!;
      await first.commit([{ topic, partition: fifth.partition, offset: fifth.offset + 1 }]);
      await first.close();

      const second = await consumerOf(topic, { group });
      const redelivered = await drain(second, 5);
      assert.deepEqual(
        redelivered.map((record) => record.value),
        ['order-1-5', 'order-1-6', 'order-1-7', 'order-1-8', 'order-1-9'],
      );
      assert.deepEqual(await second.poll(10, 200), [], 'nothing before the commit comes back');
    });

    it('onRevoke at close lets the caller commit its finished work', async () => {
      const topic = await newTopic(2);
      const group = uniqueName('group');
      await transport.produce(records(topic, 'k', 3));
      const revoked: TopicPartition[][] = [];
      let finished: TransportRecord[] = [];
      const first = await consumerOf(topic, {
        group,
        onRevoke: async (partitions) => {
          revoked.push([...partitions]);
          const last = finished[finished.length - 1]!;
          await first.commit([{ topic, partition: last.partition, offset: last.offset + 1 }]);
        },
      });
      finished = await drain(first, 3);
      await first.close();
      assert.equal(revoked.length, 1);
      assert.ok(revoked[0]!.some((p) => p.topic === topic && p.partition === finished[0]!.partition));

      await transport.produce([{ topic, key: 'k', value: 'after-close' }]);
      const second = await consumerOf(topic, { group });
      assert.deepEqual(
        (await drain(second, 1)).map((record) => record.value),
        ['after-close'],
      );
    });

    it('groups read independently of each other', async () => {
      const topic = await newTopic(3);
      await transport.produce(records(topic, 'shared', 6));
      const billing = await consumerOf(topic);
      const billed = await drain(billing, 6);
      const last = billed[5]!;
      await billing.commit([{ topic, partition: last.partition, offset: last.offset + 1 }]);
      const audit = await consumerOf(topic);
      assert.deepEqual(
        (await drain(audit, 6)).map((record) => record.value),
        billed.map((record) => record.value),
      );
      assert.deepEqual(await audit.committed(), [], 'the other group committed nothing');
    });

    it('commit never moves a committed offset backwards', async () => {
      const topic = await newTopic(1);
      const group = uniqueName('group');
      await transport.produce(records(topic, 'k', 10));
      const first = await consumerOf(topic, { group });
      const received = await drain(first, 10);
      const partition = received[0]!.partition;
      await first.commit([{ topic, partition, offset: received[7]!.offset + 1 }]);
      await first.commit([{ topic, partition, offset: received[2]!.offset + 1 }]);
      assert.deepEqual(await first.committed(), [{ topic, partition, offset: received[7]!.offset + 1 }]);
      await first.close();
      const second = await consumerOf(topic, { group });
      assert.deepEqual(
        (await drain(second, 2)).map((record) => record.value),
        ['k-8', 'k-9'],
      );
    });

    it('every partition with a backlog is served within a few polls (fairness)', async () => {
      const partitions = 8;
      const topic = await newTopic(partitions);
      const keys = Array.from({ length: 40 }, (_, i) => `customer-${i}`);
      await transport.produce(keys.flatMap((key) => records(topic, key, 25)));
      const withData = new Set(
        (await drain(await consumerOf(topic), keys.length * 25)).map((r) => r.partition),
      );

      const consumer = await consumerOf(topic);
      const served = new Set<number>();
      for (let poll = 0; poll < partitions * 2 && served.size < withData.size; poll++) {
        for (const record of await consumer.poll(10, 5_000)) served.add(record.partition);
      }
      assert.deepEqual([...served].sort(), [...withData].sort());
    });

    it('a hot partition does not starve the others', async () => {
      const topic = await newTopic(6);
      await transport.produce(records(topic, 'hot', 500));
      const coldKeys = Array.from({ length: 30 }, (_, i) => `cold-${i}`);
      await transport.produce(coldKeys.map((key) => ({ topic, key, value: key })));
      const everything = await drain(await consumerOf(topic), 530);
      const hotPartition = everything.find((record) => record.key === 'hot')!.partition;
      const coldElsewhere = everything.filter((r) => r.key !== 'hot' && r.partition !== hotPartition).length;
      assert.ok(coldElsewhere > 0, 'some cold keys land outside the hot partition');

      const consumer = await consumerOf(topic);
      let hotSeen = 0;
      let coldSeen = 0;
      while (coldSeen < coldElsewhere) {
        const batch = await consumer.poll(50, 5_000);
        assert.ok(batch.length > 0, 'records are waiting');
        hotSeen += batch.filter((record) => record.partition === hotPartition).length;
        coldSeen += batch.filter((record) => record.partition !== hotPartition).length;
      }
      assert.ok(hotSeen < 500, `the cold partitions were served before the hot backlog ran out (${hotSeen})`);
    });

    it('committed() lists the offsets the group committed', async () => {
      const topic = await newTopic(2);
      await transport.produce([...records(topic, 'a', 2), ...records(topic, 'b', 2)]);
      const consumer = await consumerOf(topic);
      const received = await drain(consumer, 4);
      const commits = new Map<number, number>();
      for (const record of received) commits.set(record.partition, record.offset + 1);
      const offsets = [...commits].map(([partition, offset]) => ({ topic, partition, offset }));
      await consumer.commit(offsets);
      const committed = await consumer.committed();
      assert.deepEqual(
        committed.filter((c) => c.topic === topic).sort((a, b) => a.partition - b.partition),
        offsets.sort((a, b) => a.partition - b.partition),
      );
    });

    it('produce of an empty batch resolves, and a working transport is healthy', async () => {
      await transport.produce([]);
      assert.equal(await transport.healthy(), true);
    });
  });
}

/** Polls until `count` records arrived; fails when they do not come within the drain timeout. */
async function drain(consumer: Consumer, count: number): Promise<TransportRecord[]> {
  const received: TransportRecord[] = [];
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  while (received.length < count && Date.now() < deadline) {
    received.push(...(await consumer.poll(count - received.length, 500)));
  }
  assert.equal(received.length, count, `expected ${count} records, got ${received.length}`);
  return received;
}

function assertOffsetsRiseWithinPartitions(received: readonly TransportRecord[]): void {
  const lastOffset = new Map<number, number>();
  for (const record of received) {
    const previous = lastOffset.get(record.partition);
    assert.ok(
      previous === undefined || record.offset > previous,
      `offsets rise in partition ${record.partition}`,
    );
    lastOffset.set(record.partition, record.offset);
  }
}
