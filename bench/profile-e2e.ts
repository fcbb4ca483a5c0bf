import { parseArgs } from 'node:util';
import { runHeraldDrain } from './support/herald-run.ts';
import { startSimulatorProcess } from './support/simulator-process.ts';

/**
 * herald end-to-end with a zero-latency simulator, alone in its own process so that
 * `node --cpu-prof --cpu-prof-dir bench/results/profiles bench/profile-e2e.ts --count N --namespace NS`
 * (`--one-call`: bulk vendor calls off and a burst, as the scenario's e2eOneCall run)
 * profiles nothing but it (the simulator is a process of its own, as in the `limit` scenario). Prints
 * the result as one JSON line on stdout.
 */
const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '20000' },
    namespace: { type: 'string' },
    // As the `limit` scenario's e2eOneCall run: bulk vendor calls off, a burst.
    'one-call': { type: 'boolean', default: false },
  },
});
if (!values.namespace) throw new Error('--namespace is required (unique per run)');
const simulator = await startSimulatorProcess({ medianMs: 0 });
try {
  const result = await runHeraldDrain({
    engines: {
      kafkaBrokers: process.env.HERALD_KAFKA_BROKERS ?? '127.0.0.1:9092',
      redisUrl: process.env.HERALD_REDIS_URL ?? 'redis://127.0.0.1:6379',
      databaseUrl: process.env.HERALD_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    },
    namespace: values.namespace,
    partitions: 8,
    count: Number(values.count),
    simulator,
    produceFirst: !values['one-call'],
    ...(values['one-call'] ? { batchLane: { bulkVendorCalls: false } } : {}),
  });
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await simulator.close();
}
