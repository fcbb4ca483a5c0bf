import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Admin } from '@platformatic/kafka';
import type { KafkaTransportOptions } from '../../../src/adapters/kafka/kafka-options.ts';
import {
  KAFKA_COMPRESSIONS,
  KAFKA_DEFAULTS,
  resolveKafkaOptions,
} from '../../../src/adapters/kafka/kafka-options.ts';
import { KafkaTransport } from '../../../src/adapters/kafka/kafka-transport.ts';
import { partitionForKey } from '../../../src/adapters/sqlite/partition-for-key.ts';
import type {
  Consumer,
  ConsumerOptions,
  OutgoingRecord,
  TopicPartition,
  TopicSpec,
  Transport,
  TransportRecord,
} from '../../../src/ports/transport.ts';
import { uniqueName } from '../../contracts/contract-helpers.ts';
import { describeTransportContract } from '../../contracts/transport.contract.ts';
import { ENGINE_URLS, engineSkip } from '../../support/engines.ts';

const BROKERS = ENGINE_URLS.kafka.split(',');
const SCRIPT = new URL('../../../scripts/kafka.sh', import.meta.url).pathname;
const execFileAsync = promisify(execFile);

/** Short sessions and heartbeats: a join or a rebalance takes well under a second, not several. */
const TEST_OPTIONS: KafkaTransportOptions = {
  brokers: BROKERS,
  clientId: 'herald-test',
  sessionTimeoutMs: 6_000,
  heartbeatIntervalMs: 300,
  rebalanceTimeoutMs: 10_000,
  revokeTimeLimitMs: 3_000,
};

/** A transport whose cleanup also deletes the topics and groups it created (cheap on one broker). */
function trackedTransport(options: Partial<KafkaTransportOptions> = {}): {
  store: Transport;
  cleanup: () => Promise<void>;
} {
  const settings = { ...TEST_OPTIONS, ...options };
  const transport = new KafkaTransport(settings);
  const topics = new Set<string>();
  const groups = new Set<string>();
  const store: Transport = {
    ensureTopics: (specs: readonly TopicSpec[]) => {
      for (const spec of specs) topics.add(spec.name);
      return transport.ensureTopics(specs);
    },
    produce: (records) => transport.produce(records),
    consumer: (consumerOptions: ConsumerOptions) => {
      groups.add(consumerOptions.group);
      return transport.consumer(consumerOptions);
    },
    healthy: () => transport.healthy(),
    close: () => transport.close(),
  };
  const cleanup = async () => {
    await transport.close();
    const admin = new Admin({ clientId: 'herald-test-cleanup', bootstrapBrokers: [...settings.brokers] });
    try {
      if (groups.size > 0) await admin.deleteGroups({ groups: [...groups] }).catch(() => {});
      if (topics.size > 0) await admin.deleteTopics({ topics: [...topics] });
    } finally {
      await admin.close();
    }
  };
  return { store, cleanup };
}

describe('kafka transport', { skip: await engineSkip('kafka') }, () => {
  describeTransportContract('kafka', async () => trackedTransport());

  describe('kafka transport (adapter only)', () => {
    let transport: Transport;
    let cleanup: () => Promise<void>;
    let consumers: Consumer[];

    beforeEach(() => {
      ({ store: transport, cleanup } = trackedTransport());
      consumers = [];
    });
    afterEach(async () => {
      await Promise.allSettled(consumers.map((consumer) => consumer.close()));
      await cleanup();
    });

    async function consumerOf(options: ConsumerOptions): Promise<Consumer> {
      const consumer = await transport.consumer(options);
      consumers.push(consumer);
      return consumer;
    }

    async function topicWithRecords(partitions: number, count: number): Promise<string> {
      const topic = uniqueName('kafka-topic');
      await transport.ensureTopics([{ name: topic, partitions }]);
      const records: OutgoingRecord[] = Array.from({ length: count }, (_, i) => ({
        topic,
        key: `customer-${i % 40}`,
        value: `v-${i}`,
      }));
      await transport.produce(records);
      return topic;
    }

    it('a second member takes over partitions; together they see every record, none lost', async () => {
      const topic = await topicWithRecords(4, 200);
      const group = uniqueName('group');
      const revoked: TopicPartition[][] = [];
      const first = await consumerOf({
        group,
        topics: [topic],
        onRevoke: async (partitions) => {
          revoked.push([...partitions]);
        },
      });
      const before = await pollUntil([first], (seen) => seen.length >= 200);
      // Commit only half of what arrived in each partition: the rest is "in flight" at the rebalance.
      const halfway = commitPoints(before, (offsets) => offsets[Math.floor(offsets.length / 2)]!);
      await first.commit(halfway);

      const second = await consumerOf({ group, topics: [topic] });
      assert.equal(revoked.length >= 1, true, 'the first member gave up its partitions before the rejoin');
      assert.equal(new Set(revoked[0]!.map((p) => p.partition)).size, 4);

      const expected = before.filter((r) => r.offset >= committedOffset(halfway, r));
      const after = await pollUntil([first, second], (seen) => covers(seen, expected));
      assert.ok(covers(after, expected), 'every record after the commit is delivered again');
      assert.ok(
        after.every((r) => r.offset >= committedOffset(halfway, r)),
        'nothing at or before a commit comes back',
      );
      const partitionsOf = (consumer: Consumer) =>
        new Set(after.filter((r) => received.get(r) === consumer).map((r) => r.partition));
      const [ofFirst, ofSecond] = [partitionsOf(first), partitionsOf(second)];
      assert.ok(ofFirst.size > 0 && ofSecond.size > 0, 'both members own partitions after the rebalance');
      assert.equal([...ofFirst].filter((p) => ofSecond.has(p)).length, 0, 'no partition is read by both');
    });

    it('what onRevoke commits during a rebalance is exactly where the next owners start', async () => {
      const topic = await topicWithRecords(4, 120);
      const group = uniqueName('group');
      let finished: TransportRecord[] = [];
      const first: Consumer = await consumerOf({
        group,
        topics: [topic],
        onRevoke: async () => {
          await first.commit(commitPoints(finished, (offsets) => offsets[offsets.length - 1]! + 1));
        },
      });
      finished = await pollUntil([first], (seen) => seen.length >= 120);
      const second = await consumerOf({ group, topics: [topic] });
      assert.deepEqual(
        await pollUntil([first, second], () => false, 1_500),
        [],
        'nothing is delivered twice',
      );
      await transport.produce([{ topic, key: 'customer-1', value: 'after-rebalance' }]);
      const fresh = await pollUntil([first, second], (seen) => seen.length >= 1);
      assert.deepEqual(
        fresh.map((r) => r.value),
        ['after-rebalance'],
      );
    });

    it('a member that stops polling for longer than its session keeps its partitions', async () => {
      const topic = await topicWithRecords(2, 300);
      // Below a stock broker's 6 s floor (group.min.session.timeout.ms); scripts/kafka.sh allows 1 s.
      const timings = { sessionTimeoutMs: 2_500, heartbeatIntervalMs: 400, revokeTimeLimitMs: 1_500 };
      const { store, cleanup: cleanupSlow } = trackedTransport({ ...timings, maxBufferedRecords: 20 });
      try {
        const revocations: TopicPartition[][] = [];
        const slow = await store.consumer({
          group: uniqueName('group'),
          topics: [topic],
          onRevoke: async (partitions) => {
            revocations.push([...partitions]);
          },
        });
        // Heartbeats are the client's timers, not a side effect of polling: a worker stuck on a
        // hung vendor call (and a paused, full buffer) must not cost it its partitions.
        await sleep(timings.sessionTimeoutMs * 2);
        const all = await pollUntil([slow], (seen) => seen.length >= 300);
        assert.equal(new Set(all.map((r) => r.value)).size, 300);
        assert.deepEqual(revocations, [], 'no rebalance took the partitions away');
        await slow.close();
      } finally {
        await cleanupSlow();
      }
    });

    it('puts a key in the partition the embedded log would (Java default partitioner)', async () => {
      const topic = uniqueName('kafka-partitioner');
      await transport.ensureTopics([{ name: topic, partitions: 6 }]);
      const keys = [
        '010-1234-5678',
        'user@example.com',
        'device-token-ä',
        ...Array.from({ length: 20 }, (_, i) => `k${i}`),
      ];
      await transport.produce(keys.map((key) => ({ topic, key, value: key })));
      const consumer = await consumerOf({ group: uniqueName('group'), topics: [topic] });
      const all = await pollUntil([consumer], (seen) => seen.length >= keys.length);
      for (const record of all) assert.equal(record.partition, partitionForKey(record.key, 6), record.key);
    });

    it('every compression round-trips records unchanged', async () => {
      const topic = uniqueName('kafka-compression');
      await transport.ensureTopics([{ name: topic, partitions: 1 }]);
      const value = `${'주문하신 음식이 출발했어요 🛵 '.repeat(20)}end`;
      for (const compression of KAFKA_COMPRESSIONS) {
        const { store, cleanup: closeCompressed } = trackedTransport({ compression });
        try {
          await store.produce([{ topic, key: compression, value: `${compression}:${value}` }]);
        } finally {
          await closeCompressed();
        }
      }
      const consumer = await consumerOf({ group: uniqueName('group'), topics: [topic] });
      const all = await pollUntil([consumer], (seen) => seen.length >= KAFKA_COMPRESSIONS.length);
      assert.deepEqual(
        all.map((r) => r.value),
        KAFKA_COMPRESSIONS.map((compression) => `${compression}:${value}`),
      );
    });

    it('pausing fetches at the buffer bound and resuming on poll loses nothing', async () => {
      const topic = await topicWithRecords(2, 400);
      const { store, cleanup: cleanupSmall } = trackedTransport({ maxBufferedRecords: 50 });
      try {
        const consumer = await store.consumer({ group: uniqueName('group'), topics: [topic] });
        const all = await pollUntil([consumer], (seen) => seen.length >= 400);
        assert.equal(new Set(all.map((r) => r.value)).size, 400, 'pausing and resuming loses nothing');
        await consumer.close();
      } finally {
        await cleanupSmall();
      }
    });
  });

  describe('kafka transport across a broker restart', () => {
    // Its own broker on another port (scripts/kafka.sh with overrides): the shared one is never stopped.
    let broker: OwnBroker;

    beforeEach(async () => {
      broker = await OwnBroker.start();
    });
    afterEach(async () => {
      await broker.remove();
    });

    it('produce answers unavailable while the broker is down; afterwards nothing is lost', async () => {
      const { store, cleanup: close } = trackedTransport({ brokers: [broker.address] });
      try {
        const topic = uniqueName('kafka-restart');
        await store.ensureTopics([{ name: topic, partitions: 2 }]);
        const values = (from: number) => Array.from({ length: 20 }, (_, i) => `v-${from + i}`);
        const records = (from: number) => values(from).map((value, i) => ({ topic, key: `k-${i}`, value }));
        const finished: TransportRecord[] = [];
        const consumer: Consumer = await store.consumer({
          group: uniqueName('group'),
          topics: [topic],
          onRevoke: async () => {
            await consumer
              .commit(commitPoints(finished, (offsets) => Math.max(...offsets) + 1))
              .catch(() => {});
          },
        });
        await store.produce(records(0));
        finished.push(...(await pollUntil([consumer], (seen) => seen.length >= 20)));
        await consumer.commit(commitPoints(finished, (offsets) => Math.max(...offsets) + 1));

        await broker.stop();
        await assert.rejects(store.produce(records(20)), { code: 'HERALD_UNAVAILABLE' });
        assert.equal(await store.healthy(), false);
        assert.deepEqual(await consumer.poll(10, 500), [], 'a poll during the outage just waits');

        await broker.startAgain();
        await eventually(() => store.produce(records(20)));
        const after = await pollUntil([consumer], (seen) => hasAll(seen, values(20)), 30_000);
        assert.ok(hasAll(after, values(20)), 'the records produced after the restart arrive');
        assert.equal(await store.healthy(), true);
      } finally {
        await close().catch(() => {});
      }
    });
  });

  describe('kafka transport without a broker', () => {
    it('produce fails as HERALD_UNAVAILABLE (503) and healthy() is false', async () => {
      const port = await unusedPortPair();
      const offline = new KafkaTransport({ ...TEST_OPTIONS, brokers: [`127.0.0.1:${port}`] });
      try {
        await assert.rejects(
          offline.produce([{ topic: 'orders', key: 'k', value: 'v' }]),
          (error: unknown) => {
            assert.equal((error as { code?: string }).code, 'HERALD_UNAVAILABLE');
            assert.equal((error as { retryable?: boolean }).retryable, true);
            return true;
          },
        );
        assert.equal(await offline.healthy(), false);
      } finally {
        await offline.close();
      }
    });
  });
});

describe('kafka options', () => {
  it('fills the defaults and freezes the result', () => {
    const options = resolveKafkaOptions({ brokers: ['127.0.0.1:9092'], clientId: 'herald' });
    assert.equal(options.sessionTimeoutMs, KAFKA_DEFAULTS.sessionTimeoutMs);
    assert.equal(Object.isFrozen(options), true);
  });

  it('lists every problem at once', () => {
    assert.throws(
      () =>
        resolveKafkaOptions({
          brokers: ['nohost'],
          clientId: 'has space',
          compression: 'brotli' as never,
          sessionTimeoutMs: 5_000,
          revokeTimeLimitMs: 10_000,
        }),
      (error: unknown) => {
        const problems = (error as { problems: string[] }).problems;
        assert.equal(problems.length >= 4, true, problems.join('\n'));
        assert.ok(problems.some((p) => p.includes('revokeTimeLimitMs')));
        return true;
      },
    );
  });
});

/** Which consumer delivered each record (for the rebalance assertions). */
const received = new WeakMap<TransportRecord, Consumer>();

/** Polls all consumers together until `done` holds or `limitMs` passes; returns what arrived. */
async function pollUntil(
  consumers: readonly Consumer[],
  done: (seen: TransportRecord[]) => boolean,
  limitMs = 15_000,
): Promise<TransportRecord[]> {
  const seen: TransportRecord[] = [];
  const deadline = Date.now() + limitMs;
  while (!done(seen) && Date.now() < deadline) {
    const batches = await Promise.all(consumers.map((consumer) => consumer.poll(100, 200)));
    batches.forEach((batch, i) => {
      for (const record of batch) received.set(record, consumers[i]!);
      seen.push(...batch);
    });
  }
  return seen;
}

/** Per partition, the offset `pick` chooses from the offsets that arrived there. */
function commitPoints(
  records: readonly TransportRecord[],
  pick: (offsets: number[]) => number,
): { topic: string; partition: number; offset: number }[] {
  const byPartition = new Map<number, { topic: string; offsets: number[] }>();
  for (const record of records) {
    const entry = byPartition.get(record.partition) ?? { topic: record.topic, offsets: [] };
    entry.offsets.push(record.offset);
    byPartition.set(record.partition, entry);
  }
  return [...byPartition].map(([partition, { topic, offsets }]) => ({
    topic,
    partition,
    offset: pick(offsets),
  }));
}

function committedOffset(
  commits: readonly { partition: number; offset: number }[],
  record: TransportRecord,
): number {
  return commits.find((c) => c.partition === record.partition)?.offset ?? 0;
}

function covers(seen: readonly TransportRecord[], expected: readonly TransportRecord[]): boolean {
  const values = new Set(seen.map((r) => `${r.partition}:${r.offset}`));
  return expected.every((r) => values.has(`${r.partition}:${r.offset}`));
}

function hasAll(seen: readonly TransportRecord[], values: readonly string[]): boolean {
  const got = new Set(seen.map((r) => r.value));
  return values.every((value) => got.has(value));
}

/** Retries `attempt` until it resolves (the client rediscovers a restarted broker on its own). */
async function eventually(attempt: () => Promise<void>, limitMs = 30_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(250);
    }
  }
}

/** A broker of its own for a test, started and stopped with scripts/kafka.sh and env overrides. */
class OwnBroker {
  readonly address: string;
  readonly #env: NodeJS.ProcessEnv;
  readonly #home: string;

  private constructor(port: number, home: string) {
    this.address = `127.0.0.1:${port}`;
    this.#home = home;
    this.#env = {
      ...process.env,
      KAFKA_PORT: String(port),
      KAFKA_CONTROLLER_PORT: String(port + 1),
      KAFKA_HOME_DIR: home,
      KAFKA_HEAP: '256m',
      // A broker that lives for one test: start fast rather than run fast.
      KAFKA_JVM_OPTS: '-XX:TieredStopAtLevel=1',
    };
  }

  static async start(): Promise<OwnBroker> {
    const port = await unusedPortPair();
    const broker = new OwnBroker(port, mkdtempSync(join(tmpdir(), 'herald-kafka-')));
    await broker.startAgain();
    return broker;
  }

  startAgain(): Promise<void> {
    return this.#script('start');
  }

  stop(): Promise<void> {
    return this.#script('stop');
  }

  async remove(): Promise<void> {
    await this.stop().catch(() => {});
    rmSync(this.#home, { recursive: true, force: true });
  }

  async #script(command: string): Promise<void> {
    await execFileAsync('bash', [SCRIPT, command], { env: this.#env, timeout: 120_000 });
  }
}

/**
 * A port whose next one is free too (the broker's listener and its controller's), below the
 * kernel's ephemeral range (32768 and up): a port the OS hands out for listen(0) is one it also
 * hands out as the local end of outgoing connections, and in a CI run one of those took the
 * controller's port between the pick and the broker's bind (BindException, the test failed).
 */
async function unusedPortPair(): Promise<number> {
  for (let tries = 0; tries < 50; tries++) {
    const port = 20_000 + 2 * Math.floor(Math.random() * 6_000);
    if ((await bindable(port)) && (await bindable(port + 1))) return port;
  }
  throw new Error('no two free adjacent ports between 20000 and 32000');
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
