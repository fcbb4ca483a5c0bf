import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Admin } from '@platformatic/kafka';
import { KafkaTransport } from '../../src/adapters/kafka/kafka-transport.ts';
import { NamespacedTransport } from '../../src/adapters/namespaced-transport.ts';
import { SqliteTransport } from '../../src/adapters/sqlite/sqlite-transport.ts';
import type { TopicSpec, Transport } from '../../src/ports/transport.ts';
import { ENGINE_URLS, engineSkip } from './engines.ts';
import { uniqueNamespace } from './production-env.ts';

export interface TestTransport {
  readonly transport: Transport;
  /** Closes the transport and removes what it created (the file, or the topics and groups). */
  cleanup(): Promise<void>;
}

/** A transport adapter to run a pipeline test against, or the reason it is skipped here. */
export interface TransportSubject {
  readonly name: string;
  readonly skip: string | false;
  /** A fresh transport with `topics` created; `groups` are the consumer groups the test will use. */
  make(topics: readonly TopicSpec[], groups: readonly string[]): Promise<TestTransport>;
}

/**
 * The embedded log and Kafka, for tests of the parts every transport shares (the poll loop, the
 * lane worker): one suite, run against both, so a behaviour cannot hold on one and not the other.
 */
export async function transportSubjects(): Promise<TransportSubject[]> {
  return [
    { name: 'embedded', skip: false, make: embedded },
    { name: 'kafka', skip: await engineSkip('kafka'), make: kafka },
  ];
}

async function embedded(topics: readonly TopicSpec[]): Promise<TestTransport> {
  const dir = mkdtempSync(join(tmpdir(), 'herald-transport-'));
  const transport = new SqliteTransport({ path: join(dir, 'transport.db') });
  await transport.ensureTopics(topics);
  return {
    transport,
    async cleanup() {
      await transport.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Kafka in a namespace of its own, with short sessions so a group joins and leaves quickly. */
async function kafka(topics: readonly TopicSpec[], groups: readonly string[]): Promise<TestTransport> {
  const brokers = ENGINE_URLS.kafka.split(',');
  const namespace = uniqueNamespace('pipe');
  const inner = new KafkaTransport({
    brokers,
    clientId: 'herald-test',
    sessionTimeoutMs: 6_000,
    heartbeatIntervalMs: 300,
    rebalanceTimeoutMs: 10_000,
    revokeTimeLimitMs: 3_000,
  });
  const transport = new NamespacedTransport(inner, namespace);
  await transport.ensureTopics(topics);
  return {
    transport,
    async cleanup() {
      await transport.close();
      const admin = new Admin({ clientId: 'herald-test-cleanup', bootstrapBrokers: brokers });
      try {
        const named = (names: readonly string[]) => names.map((name) => `${namespace}.${name}`);
        await admin.deleteGroups({ groups: named(groups) }).catch(() => {});
        await admin.deleteTopics({ topics: named(topics.map((topic) => topic.name)) });
      } finally {
        await admin.close();
      }
    },
  };
}
