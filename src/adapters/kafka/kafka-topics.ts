import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin } from '@platformatic/kafka';
import type { TopicSpec } from '../../ports/transport.ts';
import { hasKafkaError, isUnknownTopic, kafkaUnavailable } from './kafka-errors.ts';

export interface TopicSettings {
  readonly replicationFactor: number;
  readonly readyTimeoutMs: number;
}

/** How often ensureTopics re-reads metadata while a new topic's partitions get their leaders. */
const READY_CHECK_INTERVAL_MS = 50;

/**
 * Creates the topics that do not exist yet; existing ones keep their partition count and config
 * (growing a topic would move keys to other partitions and break per-key order).
 *
 * Race-safe: several herald processes starting at once may all see a topic missing and all ask
 * for it; the broker creates it once and answers TOPIC_ALREADY_EXISTS to the others, which is fine.
 * Resolves once every new partition has a leader, so a produce right after does not hit
 * UNKNOWN_TOPIC_OR_PARTITION on a broker that has not caught up with the controller yet.
 */
export async function ensureKafkaTopics(
  admin: Admin,
  topics: readonly TopicSpec[],
  settings: TopicSettings,
): Promise<void> {
  const wanted = new Map(topics.map((topic) => [topic.name, topic]));
  if (wanted.size === 0) return;
  try {
    const existing = new Set(await admin.listTopics());
    const missing = [...wanted.values()].filter((topic) => !existing.has(topic.name));
    if (missing.length === 0) return;
    await Promise.all(missing.map((topic) => createTopic(admin, topic, settings.replicationFactor)));
    await waitForLeaders(admin, missing, settings.readyTimeoutMs);
  } catch (error) {
    throw kafkaUnavailable(`create topics ${[...wanted.keys()].join(', ')}`, error);
  }
}

async function createTopic(admin: Admin, topic: TopicSpec, replicas: number): Promise<void> {
  try {
    await admin.createTopics({ topics: [topic.name], partitions: topic.partitions, replicas });
  } catch (error) {
    if (!hasKafkaError(error, 'TOPIC_ALREADY_EXISTS')) throw error;
  }
}

async function waitForLeaders(admin: Admin, topics: readonly TopicSpec[], timeoutMs: number): Promise<void> {
  const names = topics.map((topic) => topic.name);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const metadata = await admin.metadata({ topics: names, forceUpdate: true });
      const ready = names.every((name) => {
        const topic = metadata.topics.get(name);
        return topic?.partitions.every((partition) => partition.leader >= 0) === true;
      });
      if (ready) return;
    } catch (error) {
      // A broker that has not caught up with the controller does not know the new topic yet.
      if (!isUnknownTopic(error) && !hasKafkaError(error, 'LEADER_NOT_AVAILABLE')) throw error;
    }
    if (Date.now() > deadline)
      throw new Error(`topics ${names.join(', ')} have no leader after ${timeoutMs} ms`);
    await sleep(READY_CHECK_INTERVAL_MS);
  }
}
