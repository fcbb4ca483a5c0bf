import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { BenchContext } from './scenario.ts';
import { startBenchSimulators } from './scenarios/herald-bench-kit.ts';
import { runHerald } from './scenarios/vs-bullmq.ts';

/**
 * herald's side of vsBullmq alone (API, lanes, history writer and the simulator in this process),
 * so that `node --cpu-prof --cpu-prof-dir DIR bench/profile-vs-bullmq.ts --count N` profiles the
 * same work the scenario times. Prints the run as one JSON line.
 */
const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '20000' },
    latency: { type: 'string', default: '0' },
    /** Seconds herald keeps looking up receipts after the run, before its look-up figures are read. */
    linger: { type: 'string', default: '0' },
  },
});
const run = randomUUID().slice(0, 8);
const context: BenchContext = {
  kafkaBrokers: process.env.HERALD_KAFKA_BROKERS ?? '127.0.0.1:9092',
  redisUrl: process.env.HERALD_REDIS_URL ?? 'redis://127.0.0.1:6379',
  databaseUrl: process.env.HERALD_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  scale: 1,
  progress: () => {},
  namespace: (name) => `prof_${run}_${name}`,
};
const sim = await startBenchSimulators(Number(values.latency));
try {
  const result = await runHerald(context, sim, Number(values.count), 'vb', Number(values.linger) * 1_000);
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await sim.close();
}
