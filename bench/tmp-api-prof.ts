import { randomUUID } from 'node:crypto';
import type { BenchContext } from './scenario.ts';
import { smsRequest, startBenchHerald, startBenchSimulators } from './scenarios/herald-bench-kit.ts';

const run = randomUUID().slice(0, 8);
const context: BenchContext = {
  kafkaBrokers: '127.0.0.1:9092',
  redisUrl: 'redis://127.0.0.1:6379',
  databaseUrl: 'postgres://postgres@127.0.0.1:5432/test',
  scale: 1,
  progress: () => {},
  namespace: (n) => `apiprof_${run}_${n}`,
};
const sim = await startBenchSimulators(0);
const h = await startBenchHerald(context, 'ap', sim.url);
// Lanes off the CPU: the batch lane paused via a tiny window is not possible; measure the API alone by timing.
for (let i = 0; i < 20; i++) await h.send(smsRequest('batch', 100, i * 100, 'warm #{n}'));
const lat: number[] = [];
const t0 = performance.now();
for (let i = 0; i < 300; i++) {
  const s = performance.now();
  await h.send(smsRequest('batch', 100, 100_000 + i * 100, 'p #{n}'));
  lat.push(performance.now() - s);
}
lat.sort((a, b) => a - b);
console.log(JSON.stringify({ total: performance.now() - t0, p50: lat[150], p99: lat[297] }));
await h.stop();
await sim.close();
