import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Admin } from '@platformatic/kafka';
import pg from 'pg';
import { KafkaTransport } from '../../src/adapters/kafka/kafka-transport.ts';
import { NamespacedTransport } from '../../src/adapters/namespaced-transport.ts';
import { DEV_SENDER_NUMBER } from '../../src/app/dev-senders.ts';
import { SIMULATOR_VENDOR_CHANNELS } from '../../src/config/default-remote-config.ts';
import { type EnvConfig, loadEnvConfig } from '../../src/config/env-config.ts';
import type { Envelope } from '../../src/core/domain/message.ts';
import { encodeEnvelope } from '../../src/core/pipeline/envelope-codec.ts';
import { allTopics, sendTopic } from '../../src/core/pipeline/topics.ts';
import type { OutgoingRecord, Transport } from '../../src/ports/transport.ts';
import type { LatencyDistribution } from '../../src/simulators/behaviour.ts';
import { ensureSimulatorCredentials } from '../../src/simulators/push-credentials/push-credentials.ts';
import { simulatorPushTrust } from '../../src/simulators/push-credentials/push-trust.ts';
import type { PushTrust } from '../../src/simulators/push-trust.ts';
import { type SimulatorServer, startSimulatorServer } from '../../src/simulators/simulator-server.ts';
import { simulatorTextTrust } from '../../src/simulators/text/text-credentials.ts';
import type { TextTrust } from '../../src/simulators/text/text-trust.ts';
import { TEST_RECIPIENT_HASH_SECRET } from '../../test/support/production-env.ts';

/** Where the engines are: what `npm run bench` passes to every scenario. */
export interface EngineUrls {
  readonly kafkaBrokers: string;
  readonly redisUrl: string;
  readonly databaseUrl: string;
}

/** An SMS body of a typical length (the envelope is ~400 bytes of JSON). */
export const BENCH_BODY =
  '[herald] 주문하신 음식이 출발했어요. 도착 예정 시각은 12:30 입니다. 맛있게 드세요!';

/** `count` batch-lane SMS envelopes with unique ids and dedup keys, as the API would produce them. */
export function smsEnvelopes(count: number, lane: Envelope['lane'] = 'batch'): OutgoingRecord[] {
  const now = Date.now();
  const requestId = randomUUID();
  return Array.from({ length: count }, (_, i) => {
    const key = randomBytes(16).toString('base64url');
    const envelope: Envelope = {
      messageId: randomUUID(),
      requestId,
      clientId: 'bench',
      key,
      channel: 'sms',
      lane,
      to: `010${String(10_000_000 + i).padStart(8, '0')}`,
      // The text vendors' adapters need a sender number, as the API sets one on every SMS.
      from: DEV_SENDER_NUMBER,
      content: { body: BENCH_BODY },
      attempt: 1,
      expiresAt: now + 3_600_000,
      createdAt: now,
    };
    return { topic: sendTopic(lane, 'sms'), key, value: encodeEnvelope(envelope) };
  });
}

/** A Kafka transport under `namespace` (as herald sees it), with herald's topics created. */
export async function benchTransport(
  brokers: string,
  namespace: string,
  partitions: number,
): Promise<Transport> {
  const kafka = new KafkaTransport({ brokers: brokers.split(','), clientId: `bench-${namespace}` });
  const transport = new NamespacedTransport(kafka, namespace);
  // ensureTopics sometimes fails while the broker's metadata catches up with 24 new topics
  // ("Unknown topic ..." from the client, not matched as UNKNOWN_TOPIC_OR_PARTITION): try again.
  for (let attempt = 1; ; attempt++) {
    try {
      await transport.ensureTopics(allTopics().map((name) => ({ name, partitions })));
      return transport;
    } catch (error) {
      if (attempt >= 5) {
        await transport.close();
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

/** Produces in chunks so one request never grows past the broker's limits. */
export async function produceAll(
  transport: Transport,
  records: readonly OutgoingRecord[],
  chunk = 1_000,
): Promise<void> {
  for (let i = 0; i < records.length; i += chunk) await transport.produce(records.slice(i, i + chunk));
}

/**
 * The credentials the bench's simulators trust and its herald processes sign with (FCM, APNs and the
 * Korean text vendors' generated accounts): one directory per bench process, removed at its exit.
 */
export const BENCH_CREDENTIALS_DIR = mkdtempSync(join(tmpdir(), 'herald-bench-credentials-'));
process.once('exit', () => rmSync(BENCH_CREDENTIALS_DIR, { recursive: true, force: true }));

/** What a bench simulator checks herald's calls against (startSimulatorServer's trust options). */
export async function benchSimulatorTrust(
  credentialsDir = BENCH_CREDENTIALS_DIR,
): Promise<{ pushTrust: PushTrust; textTrust: TextTrust }> {
  const credentials = await ensureSimulatorCredentials(credentialsDir);
  return { pushTrust: simulatorPushTrust(credentials), textTrust: simulatorTextTrust(credentials.text) };
}

/** One simulator process-in-process hosting every vendor herald knows, all with `latency`. */
export async function startBenchSimulator(latency: Partial<LatencyDistribution>): Promise<SimulatorServer> {
  return startSimulatorServer({
    vendors: Object.fromEntries(
      Object.keys(SIMULATOR_VENDOR_CHANNELS).map((id) => [
        id,
        { latency: { p99Ms: latency.medianMs ?? 0, ...latency } },
      ]),
    ),
    ...(await benchSimulatorTrust()),
  });
}

/** herald's env for a benchmark: production engines, its own namespace, an external simulator. */
export function benchHeraldEnv(
  engines: EngineUrls,
  namespace: string,
  simulatorUrl: string,
  partitions: number,
): EnvConfig {
  return loadEnvConfig({
    HERALD_KAFKA_BROKERS: engines.kafkaBrokers,
    HERALD_REDIS_URL: engines.redisUrl,
    HERALD_DATABASE_URL: engines.databaseUrl,
    HERALD_NAMESPACE: namespace,
    HERALD_RECIPIENT_HASH_SECRET: TEST_RECIPIENT_HASH_SECRET,
    HERALD_SIMULATORS: 'external',
    HERALD_SIMULATOR_URL: simulatorUrl,
    HERALD_SIMULATOR_CREDENTIALS_DIR: BENCH_CREDENTIALS_DIR,
    HERALD_PARTITIONS: String(partitions),
    HERALD_PORT: '0',
    HERALD_LOG_LEVEL: 'silent',
    HERALD_DATA_DIR: mkdtempSync(join(tmpdir(), `herald-bench-${namespace}-`)),
  });
}

/** Resolves when `check()` is true; rejects after `timeoutMs` with `what` in the message. */
export async function waitUntil(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Best effort: deletes the namespace's topics and PostgreSQL schema so runs leave little behind. */
export async function cleanUpNamespace(engines: EngineUrls, namespace: string): Promise<void> {
  const admin = new Admin({
    clientId: `bench-cleanup-${namespace}`,
    bootstrapBrokers: engines.kafkaBrokers.split(','),
  });
  try {
    const topics = (await admin.listTopics()).filter((name) => name.startsWith(`${namespace}.`));
    if (topics.length > 0) await admin.deleteTopics({ topics });
  } catch {
    // leftovers are harmless: every run has its own namespace
  } finally {
    await admin.close().catch(() => {});
  }
  const client = new pg.Client({ connectionString: engines.databaseUrl });
  try {
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "herald_${namespace}" CASCADE`);
  } catch {
    // as above
  } finally {
    await client.end().catch(() => {});
  }
}

export function rate(count: number, ms: number): number {
  return ms > 0 ? (count * 1_000) / ms : 0;
}

export function fixed(value: number, digits = 1): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}
