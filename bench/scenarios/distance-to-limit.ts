import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  Consumer,
  MessagesStreamFallbackModes,
  MessagesStreamModes,
  ProduceAcks,
  Producer,
  stringDeserializers,
  stringSerializers,
} from '@platformatic/kafka';
import { Redis } from 'ioredis';
import { sendTopic } from '../../src/core/pipeline/topics.ts';
import type { BenchContext, Scenario, ScenarioResult } from '../scenario.ts';
import {
  benchTransport,
  cleanUpNamespace,
  type EngineUrls,
  fixed,
  rate,
  smsEnvelopes,
  waitUntil,
} from '../support/bench-engines.ts';
import { topSelfTime } from '../support/cpu-profile.ts';
import { e2eVsMinimalLoop } from '../support/e2e-vs-minimal-loop.ts';

const PARTITIONS = 8;
const RAW_KAFKA_MESSAGES = 200_000;
const RAW_REDIS_KEYS = 200_000;
const REDIS_BATCH = 100;
const E2E_MESSAGES = 50_000;
/** Rounds of herald one-call against the minimal loop (paired-rounds.ts): the median is reported. */
const ONE_CALL_ROUNDS = 5;
const PRODUCE_CHUNK = 1_000;
const PROFILES_DIR = new URL('../results/profiles/', import.meta.url).pathname;
const PROFILE_SCRIPT = new URL('../profile-e2e.ts', import.meta.url).pathname;

/**
 * How far herald's end-to-end rate is from what its engines can do on this machine, in one run:
 * the Kafka client's raw produce and consume rates (herald-sized records, no processing), raw
 * pipelined `SET NX PX` on Redis, and herald draining a backlog through a zero-latency simulator.
 * Beside it, on the same simulator with the same messages, the minimal loop (support/minimal-loop.ts):
 * the least code doing the same durable work per message, herald's honest ceiling.
 * The e2e part is run again in a child process under `node --cpu-prof` to name the bottleneck.
 */
export const distanceToLimit: Scenario = {
  name: 'limit',
  async run(context: BenchContext): Promise<ScenarioResult> {
    const engines: EngineUrls = context;
    const rawCount = Math.max(20_000, Math.round(RAW_KAFKA_MESSAGES * context.scale));
    const redisCount = Math.max(20_000, Math.round(RAW_REDIS_KEYS * context.scale));
    const e2eCount = Math.max(5_000, Math.round(E2E_MESSAGES * context.scale));

    context.progress(0, 'raw kafka produce/consume');
    const kafka = await rawKafka(context, engines, rawCount);
    context.progress(0.2, 'raw redis SET NX PX');
    const redis = await rawRedis(engines.redisUrl, context.namespace('limit_redis'), redisCount);
    context.progress(0.3, 'herald e2e, zero-latency vendor');
    const { e2e, lane, oneCallVsMinimal } = await e2eVsMinimalLoop(
      context,
      PARTITIONS,
      e2eCount,
      ONE_CALL_ROUNDS,
    );
    // The median round's two runs stand for the one-call drain and the minimal loop below.
    const { subject: e2eOneCall, baseline: minimal } = oneCallVsMinimal.median;
    context.progress(0.65, 'herald e2e under --cpu-prof (child process)');
    const profile = await profileE2e(engines, context.namespace('limit_prof'), e2eCount).catch(
      (error: Error) => ({
        perSecond: Number.NaN,
        file: `failed: ${error.message.replace(/\s+/g, ' ').slice(0, 400)}`,
        top: [],
      }),
    );
    context.progress(1, 'done');

    const e2eOverRawConsume = e2e.perSecond / kafka.consumePerSecond;
    // Same vendor work on both sides (one call per message), the median of the paired rounds; the
    // default run's ratio, against that round's minimal loop, for context.
    const e2eOverMinimalLoop = oneCallVsMinimal.median.ratio;
    const roundRatios = oneCallVsMinimal.rounds.map((round) => round.ratio);
    const e2eBulkOverMinimalLoop = e2e.perSecond / minimal.perSecond;
    const top = profile.top;
    return {
      parameters: {
        partitions: PARTITIONS,
        recordBytes: kafka.recordBytes,
        rawKafka: `${rawCount} records, produced in sequential sends of ${PRODUCE_CHUNK} (acks=all, idempotent, lz4 as herald), consumed by one fresh group member; consume timed from first to last record`,
        rawRedis: `${redisCount} SET key 1 PX 60000 NX, ioredis pipelines of ${REDIS_BATCH}, one pipeline at a time`,
        e2e: `${e2eCount} SMS envelopes produced as a backlog, then herald's batch lane (default config) started; timed from lane joined to last simulator receipt; simulator in its own process, zero latency; ${fixed(e2e.vendorCallsPerMessage, 3)} vendor calls per message`,
        e2eOneCall: `${e2eCount} envelopes as a burst (produced once the lane joined, timed from the first produce to the last simulator receipt), the batch lane's bulkVendorCalls off (remote config): ${fixed(e2eOneCall.vendorCallsPerMessage, 3)} vendor calls per message, as the minimal loop`,
        minimalLoop: `same ${e2eCount} envelopes (same sizes) as a burst on a fresh topic, timed as e2eOneCall, same simulator; per consumer batch of up to ${lane.batchSize} (at most ${lane.maxInFlight} records in flight, as herald's lane): one pipelined SET NX PX, one call per message through herald's SMS adapters (keep-alive, ${lane.sendConcurrency} in flight: herald's send pool), one event per message produced (acks=all, lz4, one send per batch), then the commit; no history, retries or routing; ${fixed(minimal.vendorCallsPerMessage, 3)} vendor calls per message`,
        rounds: `${ONE_CALL_ROUNDS} rounds of e2eOneCall and minimalLoop back to back, alternating which runs first (e2eOneCall first in the first round), each on fresh topics; the figures are the round whose ratio is the median`,
        profile: `same e2e with ${e2eCount} messages in a child process under node --cpu-prof (${profile.file}); self time summed per function over the drain window only (lane joined to last receipt), idle and GC included`,
      },
      rows: [
        { metric: 'raw Kafka produce, msgs/s', value: fixed(kafka.producePerSecond, 0) },
        { metric: 'raw Kafka consume, msgs/s', value: fixed(kafka.consumePerSecond, 0) },
        { metric: `raw Redis SET NX PX (pipeline ${REDIS_BATCH}), keys/s`, value: fixed(redis, 0) },
        { metric: 'herald e2e (zero-latency vendor), msgs/s', value: fixed(e2e.perSecond, 0) },
        {
          metric: 'herald e2e, one vendor call per message (bulk off), msgs/s',
          value: fixed(e2eOneCall.perSecond, 0),
        },
        { metric: 'minimal loop (one call per message), msgs/s', value: fixed(minimal.perSecond, 0) },
        {
          metric: 'limit.e2eOverMinimalLoop (herald e2e, one call per message / minimal loop)',
          value: fixed(e2eOverMinimalLoop, 3),
          target: '>= 0.5',
          met: e2eOverMinimalLoop >= 0.5,
        },
        {
          metric: `e2eOverMinimalLoop per round (${ONE_CALL_ROUNDS} paired rounds; the median above)`,
          value: oneCallVsMinimal.rounds
            .map(
              (round) =>
                `${fixed(round.ratio, 3)} (${fixed(round.subject.perSecond, 0)} / ${fixed(round.baseline.perSecond, 0)})`,
            )
            .join(', '),
        },
        {
          metric: 'herald e2e with bulk calls (default) / minimal loop',
          value: fixed(e2eBulkOverMinimalLoop, 3),
        },
        {
          metric: 'herald e2e / raw consume',
          value: fixed(e2eOverRawConsume, 3),
          target: 'as close to 1 as possible',
        },
        { metric: 'herald e2e under --cpu-prof, msgs/s', value: fixed(profile.perSecond, 0) },
        ...top.slice(0, 8).map((entry, i) => ({
          metric: `profile #${i + 1} self time`,
          value: `${(entry.share * 100).toFixed(1)}% ${entry.name}`,
        })),
      ],
      json: {
        limit: {
          e2eOverRawConsume,
          rawProducePerSecond: kafka.producePerSecond,
          rawConsumePerSecond: kafka.consumePerSecond,
          rawRedisSetNxPerSecond: redis,
          e2ePerSecond: e2e.perSecond,
          e2eStall: e2e.stall ?? null,
          e2eVendorCallsPerMessage: e2e.vendorCallsPerMessage,
          e2eOneCallPerSecond: e2eOneCall.perSecond,
          e2eOneCallStall: e2eOneCall.stall ?? null,
          e2eOneCallVendorCallsPerMessage: e2eOneCall.vendorCallsPerMessage,
          minimalLoop: minimal.perSecond,
          e2eOverMinimalLoop,
          e2eOverMinimalLoopRounds: roundRatios,
          oneCallRounds: oneCallVsMinimal.rounds.map((round) => ({
            e2eOneCallPerSecond: round.subject.perSecond,
            e2eOneCallStall: round.subject.stall ?? null,
            minimalLoopPerSecond: round.baseline.perSecond,
            minimalLoopStall: round.baseline.stall ?? null,
            ratio: round.ratio,
          })),
          e2eBulkOverMinimalLoop,
          minimalLoopVendorCallsPerMessage: minimal.vendorCallsPerMessage,
          minimalLoopCounts: minimal.counts,
          minimalLoopStall: minimal.stall ?? null,
          e2eProfiledPerSecond: profile.perSecond,
          profileFile: profile.file,
          profileTop: top,
        },
      },
      files: profile.top.length > 0 ? [profile.file] : [],
    };
  },
};

async function rawKafka(
  context: BenchContext,
  engines: EngineUrls,
  count: number,
): Promise<{ producePerSecond: number; consumePerSecond: number; recordBytes: number }> {
  const namespace = context.namespace('limit_kafka');
  const transport = await benchTransport(engines.kafkaBrokers, namespace, PARTITIONS);
  await transport.close();
  const topic = `${namespace}.${sendTopic('batch', 'sms')}`;
  const brokers = engines.kafkaBrokers.split(',');
  const template = smsEnvelopes(PRODUCE_CHUNK);
  const recordBytes = Buffer.byteLength(template[0]!.value);
  const producer = new Producer<string, string, string, string>({
    clientId: `${namespace}-producer`,
    bootstrapBrokers: brokers,
    serializers: stringSerializers,
    acks: ProduceAcks.ALL,
    idempotent: true,
    compression: 'lz4',
  });
  const consumer = new Consumer<string, string, string, string>({
    clientId: `${namespace}-consumer`,
    bootstrapBrokers: brokers,
    groupId: `${namespace}.raw`,
    deserializers: stringDeserializers,
    autocommit: false,
  });
  try {
    const produceStart = performance.now();
    for (let sent = 0; sent < count; sent += PRODUCE_CHUNK) {
      const messages = template.slice(0, Math.min(PRODUCE_CHUNK, count - sent)).map((record, i) => ({
        topic,
        key: `${sent + i}`,
        value: record.value,
      }));
      await producer.send({ messages });
      context.progress(0.1 * ((sent + PRODUCE_CHUNK) / count), 'raw kafka produce');
    }
    const producePerSecond = rate(count, performance.now() - produceStart);

    let received = 0;
    let firstAt = 0;
    let lastAt = 0;
    const stream = await consumer.consume({
      topics: [topic],
      mode: MessagesStreamModes.EARLIEST,
      fallbackMode: MessagesStreamFallbackModes.EARLIEST,
      autocommit: false,
      maxWaitTime: 500,
      maxBytes: 16 * 1_048_576,
    });
    stream.on('data', () => {
      if (received === 0) firstAt = performance.now();
      received++;
      lastAt = performance.now();
    });
    await waitUntil(() => received >= count, 120_000, `${count} raw records consumed`);
    stream.pause();
    return { producePerSecond, consumePerSecond: rate(count, lastAt - firstAt), recordBytes };
  } finally {
    await consumer.close(true).catch(() => {});
    await producer.close().catch(() => {});
    await cleanUpNamespace(engines, namespace);
  }
}

async function rawRedis(url: string, namespace: string, count: number): Promise<number> {
  const client = new Redis(url, { lazyConnect: true });
  await client.connect();
  try {
    const startedAt = performance.now();
    for (let done = 0; done < count; done += REDIS_BATCH) {
      const pipeline = client.pipeline();
      for (let i = done; i < Math.min(done + REDIS_BATCH, count); i++) {
        pipeline.set(`${namespace}:raw:${i}`, '1', 'PX', 60_000, 'NX');
      }
      await pipeline.exec();
    }
    return rate(count, performance.now() - startedAt);
  } finally {
    client.disconnect();
  }
}

async function profileE2e(
  engines: EngineUrls,
  namespace: string,
  count: number,
): Promise<{ perSecond: number; file: string; top: ReturnType<typeof topSelfTime> }> {
  mkdirSync(PROFILES_DIR, { recursive: true });
  const startedAt = Date.now();
  const child = spawn(
    process.execPath,
    [
      '--cpu-prof',
      '--cpu-prof-dir',
      PROFILES_DIR,
      PROFILE_SCRIPT,
      '--count',
      String(count),
      '--namespace',
      namespace,
    ],
    {
      env: {
        ...process.env,
        HERALD_KAFKA_BROKERS: engines.kafkaBrokers,
        HERALD_REDIS_URL: engines.redisUrl,
        HERALD_DATABASE_URL: engines.databaseUrl,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`profile-e2e exited with ${code}:\n${stderr.slice(-2_000)}`);
  const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
    perSecond: number;
    windowUs: { start: number; end: number };
  };
  const newest = readdirSync(PROFILES_DIR)
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => ({ name, mtime: statSync(join(PROFILES_DIR, name)).mtimeMs }))
    .filter((entry) => entry.mtime >= startedAt)
    .sort((a, b) => b.mtime - a.mtime)[0];
  if (!newest) throw new Error('node --cpu-prof wrote no profile');
  return {
    perSecond: result.perSecond,
    file: `profiles/${newest.name}`,
    top: topSelfTime(join(PROFILES_DIR, newest.name), 15, result.windowUs),
  };
}
