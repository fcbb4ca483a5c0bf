import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { measureDedupMemory } from '../../src/adapters/redis/dedup-sizing.ts';
import { type RunningHerald, startHerald } from '../../src/app/herald.ts';
import { loadEnvConfig } from '../../src/config/env-config.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { withLiftedRateLimits } from '../../test/support/lifted-rate-limits.ts';
import { TEST_RECIPIENT_HASH_SECRET } from '../../test/support/production-env.ts';
import { RedisServerProcess } from '../../test/support/redis-server-process.ts';
import type { BenchContext, Scenario, ScenarioResult } from '../scenario.ts';
import {
  BENCH_CREDENTIALS_DIR,
  benchTransport,
  cleanUpNamespace,
  type EngineUrls,
  fixed,
  startBenchSimulator,
  waitUntil,
} from '../support/bench-engines.ts';
import { waitForCompleteHistory } from '../support/history-completeness.ts';

const MESSAGES = 10_000;
const PER_REQUEST = 100;
const PARTITIONS = 8;
const DEDUP_SAMPLE = 20_000;
const API_KEY = 'bench-cost-key-0123456789abcdefghij';

/**
 * Measured counts per message for herald on the production engines, API to vendor and into
 * history: SMS requests of 100 recipients through POST /v1/messages, the batch lane sending
 * through a zero-latency simulator, the history writer folding the history log into PostgreSQL
 * (the window ends once every message is final there). Redis is a private redis-server (nobody
 * else's commands in its counters); PostgreSQL statements are counted in this process by wrapping
 * pg's Client#query (the shared database's counters would include every other user); Kafka
 * commits come from herald's own metrics.
 */
export const costPerMessage: Scenario = {
  name: 'costPerMessage',
  async run(context: BenchContext): Promise<ScenarioResult> {
    const count = Math.max(1_000, Math.round((MESSAGES * context.scale) / PER_REQUEST) * PER_REQUEST);
    const namespace = context.namespace('cost');
    const engines: EngineUrls = context;
    const redis = await RedisServerProcess.start();
    const simulator = await startBenchSimulator({ medianMs: 0 });
    const statements = countPgStatements();
    let herald: RunningHerald | undefined;
    let admin: Redis | undefined;
    try {
      // Topics first, with retries (see benchTransport): herald's own ensureTopics then finds them all.
      await (await benchTransport(engines.kafkaBrokers, namespace, PARTITIONS)).close();
      herald = await startHerald(
        loadEnvConfig({
          HERALD_KAFKA_BROKERS: engines.kafkaBrokers,
          HERALD_REDIS_URL: redis.url,
          HERALD_DATABASE_URL: engines.databaseUrl,
          HERALD_NAMESPACE: namespace,
          HERALD_RECIPIENT_HASH_SECRET: TEST_RECIPIENT_HASH_SECRET,
          HERALD_SIMULATORS: 'external',
          HERALD_SIMULATOR_URL: simulator.url,
          HERALD_SIMULATOR_CREDENTIALS_DIR: BENCH_CREDENTIALS_DIR,
          HERALD_PARTITIONS: String(PARTITIONS),
          HERALD_PORT: '0',
          HERALD_LOG_LEVEL: 'silent',
          HERALD_BOOTSTRAP_API_KEY: API_KEY,
          HERALD_DATA_DIR: mkdtempSync(join(tmpdir(), `herald-bench-${namespace}-`)),
        }),
        silentLogger(),
        { api: true, lanes: ['batch'], retryLanes: [], historyWriter: true },
      );
      const url = herald.url!;
      const lifted = await herald.stores.config.putRemoteConfig(
        withLiftedRateLimits(herald.config.current()),
      );
      const running = herald;
      await waitUntil(() => running.config.version >= lifted.version, 10_000, 'rate limits lifted');
      let received = 0;
      const unsubscribe = simulator.onReceive(() => {
        received++;
      });
      admin = new Redis(redis.url, { lazyConnect: true, enableReadyCheck: false });
      await admin.connect();
      await admin.ping();
      const redisBefore = await redisCounters(admin);
      const commitsBefore = await herald.metrics.count(herald.metrics.commits);
      statements.reset();
      const windowStart = performance.now();

      for (let offset = 0; offset < count; offset += PER_REQUEST) {
        await submit(url, offset);
        context.progress((0.5 * offset) / count, 'submitting through the API');
      }
      await waitUntil(
        () => {
          context.progress(0.5 + (0.4 * received) / count, 'waiting for deliveries');
          return received >= count;
        },
        120_000,
        `${count} deliveries`,
      );
      // History is the writer's projection: its statements count, so wait until it has it all
      // (herald.stop() leaves what the writer has not applied to the log).
      context.progress(0.9, 'waiting for history');
      const history = await waitForCompleteHistory(engines.databaseUrl, namespace, count, 60_000);
      await herald.stop();
      unsubscribe();
      const stopped = herald;
      herald = undefined;
      const pgStatements = statements.count - history.queries;
      const windowMs = performance.now() - windowStart;
      const commits = (await stopped.metrics.count(stopped.metrics.commits)) - commitsBefore;
      const redisAfter = await redisCounters(admin);
      context.progress(0.9, 'measuring dedup memory per key');
      const dedup = await measureDedupMemory(redis.url, DEDUP_SAMPLE);

      // The first snapshot's own INFO (one read, one command) falls inside the window.
      const redisReads = redisAfter.reads - redisBefore.reads - 1;
      const redisCommands = redisAfter.commands - redisBefore.commands - 1;
      const perMessage = {
        redisRoundTrips: redisReads / count,
        redisCommands: redisCommands / count,
        pgStatements: pgStatements / count,
        windowMsPerMessage: windowMs / count,
        kafkaCommits: commits / count,
        dedupBytesPerKey: dedup.usedMemoryPerKey,
        dedupMemoryUsagePerKey: dedup.memoryUsagePerKey,
      };
      return {
        parameters: {
          messages: count,
          requests: `${count / PER_REQUEST} x POST /v1/messages, ${PER_REQUEST} SMS recipients each, one at a time`,
          lane: `batch lane (default config), ${PARTITIONS} partitions, zero-latency simulator`,
          redis: `private redis-server ${dedup.redisVersion} (${dedup.allocator}); round trips = INFO stats total_reads_processed delta, commands = total_commands_processed delta`,
          postgres:
            "statements counted in-process by wrapping pg Client#query (the history writer's included, the bench's own history checks not), from the first request to the end of herald.stop(), once every message was final in history",
          kafka:
            'offset commits from HeraldMetrics.commits (herald_offset_commits_total), including the final commit at stop',
          dedupMemory: `measureDedupMemory with ${DEDUP_SAMPLE} keys on the private server (used_memory delta per key; MEMORY USAGE alongside)`,
        },
        rows: [
          { metric: 'Redis round trips per message', value: fixed(perMessage.redisRoundTrips, 4) },
          { metric: 'Redis commands per message', value: fixed(perMessage.redisCommands, 3) },
          { metric: 'PostgreSQL statements per message', value: fixed(perMessage.pgStatements, 4) },
          { metric: 'Kafka offset commits per message', value: fixed(perMessage.kafkaCommits, 4) },
          { metric: 'dedup bytes per key (used_memory)', value: fixed(perMessage.dedupBytesPerKey, 1) },
          {
            metric: 'dedup bytes per key (MEMORY USAGE)',
            value: fixed(perMessage.dedupMemoryUsagePerKey, 1),
          },
        ],
        json: {
          costPerMessage: {
            ...perMessage,
            messages: count,
            redisCommandsByType: diffCommandStats(redisBefore.byCommand, redisAfter.byCommand),
          },
        },
      };
    } finally {
      statements.restore();
      admin?.disconnect();
      await herald?.stop().catch(() => {});
      await simulator.close();
      await redis.dispose();
      await cleanUpNamespace(engines, namespace);
    }
  },
};

async function submit(url: string, offset: number): Promise<void> {
  const response = await fetch(`${url}/v1/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      channel: 'sms',
      lane: 'batch',
      content: { body: 'bench cost per message' },
      recipients: Array.from({ length: PER_REQUEST }, (_, i) => ({
        to: `010${String(20_000_000 + offset + i).padStart(8, '0')}`,
      })),
    }),
  });
  if (response.status !== 202)
    throw new Error(`POST /v1/messages answered ${response.status}: ${await response.text()}`);
  await response.arrayBuffer().catch(() => {});
}

interface RedisCounters {
  readonly reads: number;
  readonly commands: number;
  readonly byCommand: Record<string, number>;
}

/** One INFO call (stats + commandstats) on the scenario's admin connection. */
async function redisCounters(client: Redis): Promise<RedisCounters> {
  const info = await client.info('everything');
  const field = (name: string) => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(info)?.[1] ?? Number.NaN);
  const byCommand: Record<string, number> = {};
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm))
    byCommand[match[1]!] = Number(match[2]);
  return { reads: field('total_reads_processed'), commands: field('total_commands_processed'), byCommand };
}

function diffCommandStats(
  before: Record<string, number>,
  after: Record<string, number>,
): Record<string, number> {
  return Object.fromEntries(
    Object.entries(after)
      .map(([name, calls]) => [name, calls - (before[name] ?? 0)] as const)
      .filter(([, calls]) => calls > 0),
  );
}

/** Counts pg Client#query calls in this process (the pool's queries go through it) until restored. */
function countPgStatements(): {
  readonly count: number;
  reset(): void;
  restore(): void;
} {
  const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = prototype.query;
  let count = 0;
  prototype.query = function (this: unknown, ...args: unknown[]) {
    count++;
    return original.apply(this, args);
  };
  return {
    get count() {
      return count;
    },
    reset() {
      count = 0;
    },
    restore() {
      prototype.query = original;
    },
  };
}
