/**
 * Runs one scenario on its own, before (or beside) the runner:
 *   npx node bench/scenarios/run-one.ts laneIsolation [scale]
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { BenchContext, Scenario } from '../scenario.ts';
import { SCENARIOS } from './index.ts';

const scenarios: Record<string, Scenario> = Object.fromEntries(SCENARIOS.map((s) => [s.name, s]));
const name = process.argv[2] ?? '';
const scenario = scenarios[name];
if (!scenario) {
  console.error(`usage: run-one.ts <${Object.keys(scenarios).join('|')}> [scale]`);
  process.exit(2);
}
const run = randomBytes(3).toString('hex');
let lastLabel = '';
const context: BenchContext = {
  kafkaBrokers: process.env.HERALD_KAFKA_BROKERS ?? '127.0.0.1:9092',
  redisUrl: process.env.HERALD_REDIS_URL ?? 'redis://127.0.0.1:6379',
  databaseUrl: process.env.HERALD_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  scale: Number(process.argv[3] ?? '1'),
  progress(fraction, label) {
    if (label !== lastLabel) console.error(`[${(fraction * 100).toFixed(0)}%] ${label ?? ''}`);
    lastLabel = label ?? '';
  },
  namespace: (part) =>
    `b${run}_${part}`
      .toLowerCase()
      .replace(/[^a-z0-9_]/g, '_')
      .slice(0, 32),
};
const started = performance.now();
const result = await scenario.run(context);
console.log(JSON.stringify({ ...result, seconds: (performance.now() - started) / 1_000 }, null, 2));
mkdirSync('bench/results', { recursive: true });
writeFileSync(`bench/results/${name}.standalone.json`, `${JSON.stringify(result.json, null, 2)}\n`);
process.exit(0);
