import { rmSync } from 'node:fs';
import { type Child, spawnHerald } from '../../test/support/child-processes.ts';
import { productionEnv } from '../../test/support/production-env.ts';
import type { BenchContext } from '../scenario.ts';
import {
  BENCH_KEY,
  type BenchHeraldClient,
  heraldClient,
  liftRateLimits,
} from '../scenarios/herald-bench-kit.ts';
import { BENCH_CREDENTIALS_DIR } from './bench-engines.ts';

export interface HeraldProcesses extends BenchHeraldClient {
  /** The history writer's operations URL (its /metrics carry herald_history_lag_seconds). */
  readonly historyWriterUrl: string;
  /** Each lane worker's operations URL, in the order of `lanes` (its /metrics: vendor calls, look-ups). */
  readonly workerUrls: readonly string[];
  /** Each process's pid by its role and arguments ('api', 'worker --lane batch', ...). */
  readonly pids: Readonly<Record<string, number>>;
  stop(): Promise<void>;
}

/**
 * herald deployed as in production (README "Production engines"): `herald api`, one
 * `herald worker --lane <lane>` process per lane, a `herald retry-worker` and a
 * `herald history-writer` (history is its projection of the history log: without it, none is
 * written), each its own Node process on Kafka, Redis and PostgreSQL. A lane that runs in its own process shares no event loop,
 * heap or garbage collector with another lane, which is what the lane-isolation promise is about.
 */
export async function startHeraldProcesses(
  context: BenchContext,
  name: string,
  simulatorUrl: string,
  lanes: readonly string[],
): Promise<HeraldProcesses> {
  const namespace = context.namespace(name);
  const children: Child[] = [];
  const pids: Record<string, number> = {};
  const dataDirs: string[] = [];
  const start = async (args: string[]) => {
    const env = productionEnv(namespace, {
      HERALD_KAFKA_BROKERS: context.kafkaBrokers,
      HERALD_REDIS_URL: context.redisUrl,
      HERALD_DATABASE_URL: context.databaseUrl,
      HERALD_BOOTSTRAP_API_KEY: BENCH_KEY,
      HERALD_SIMULATORS: 'external',
      HERALD_SIMULATOR_URL: simulatorUrl,
      HERALD_SIMULATOR_CREDENTIALS_DIR: BENCH_CREDENTIALS_DIR,
      HERALD_PORT: '0',
      // info: spawnHerald waits for the 'herald started' record (herald logs nothing per message at info).
      HERALD_LOG_LEVEL: 'info',
    });
    dataDirs.push(env.HERALD_DATA_DIR!);
    // HERALD_BENCH_CPU_PROF_DIR=dir: every process writes a V8 CPU profile under dir/<role> at exit.
    const profileDir = process.env.HERALD_BENCH_CPU_PROF_DIR;
    if (profileDir) env.NODE_OPTIONS = `--cpu-prof --cpu-prof-dir=${profileDir}/${args.join('-')}`;
    const child = await spawnHerald(args, env, 90_000);
    children.push(child);
    pids[args.join(' ')] = child.process.pid!;
    return child;
  };
  try {
    // The API first: it creates the topics and stores the bootstrap key the others rely on.
    const api = await start(['api']);
    const workers = await Promise.all(lanes.map((lane) => start(['worker', '--lane', lane])));
    await start(['retry-worker']);
    const historyWriter = await start(['history-writer']);
    await liftRateLimits(api.url);
    return {
      ...heraldClient(api.url),
      historyWriterUrl: historyWriter.url,
      workerUrls: workers.map((worker) => worker.url),
      pids,
      async stop() {
        await Promise.all(children.map((child) => child.kill('SIGTERM')));
        for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await Promise.all(children.map((child) => child.kill('SIGKILL')));
    throw error;
  }
}
