import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { ProgressBar } from './progress-bar.ts';
import type { BenchContext, ScenarioResult } from './scenario.ts';
import { SCENARIOS } from './scenarios/index.ts';

/**
 * `npm run bench [-- --quick] [-- --only name,name]`: runs the registered scenarios in order on
 * the production engines, prints each one's parameters, then one Markdown table on stdout, and
 * writes bench/results/bench-<timestamp>.json and latest.json. Exits non-zero only when a
 * scenario crashes: a missed target is a result, reported in the table.
 */
const RESULTS = new URL('./results/', import.meta.url);

const { values } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, only: { type: 'string' } },
});
const scale = values.quick ? 0.1 : 1;
const only = values.only
  ?.split(',')
  .map((name) => name.trim())
  .filter(Boolean);
const unknown = only?.filter((name) => !SCENARIOS.some((scenario) => scenario.name === name)) ?? [];
if (unknown.length > 0) {
  process.stderr.write(
    `unknown scenario(s): ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}\n`,
  );
  process.exit(2);
}
const selected = SCENARIOS.filter((scenario) => !only || only.includes(scenario.name));

const engines = {
  kafkaBrokers: process.env.HERALD_KAFKA_BROKERS ?? '127.0.0.1:9092',
  redisUrl: process.env.HERALD_REDIS_URL ?? 'redis://127.0.0.1:6379',
  databaseUrl: process.env.HERALD_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
};
const runId = randomBytes(3).toString('hex');
const bar = new ProgressBar(selected.length);
const rows: { scenario: string; metric: string; value: string; target?: string; met?: boolean }[] = [];
const json: Record<string, unknown> = {};
const crashed: string[] = [];
const files: string[] = [];

console.log(`# herald bench (${values.quick ? 'quick, scale 0.1' : 'full, scale 1'})\n`);
for (const [index, scenario] of selected.entries()) {
  const context: BenchContext = {
    ...engines,
    scale,
    progress: (fraction, label) => bar.update(index, scenario.name, fraction, label),
    namespace: (name) => `b${runId}_${name.toLowerCase().replace(/[^a-z0-9_]/g, '')}`.slice(0, 32),
  };
  const startedAt = Date.now();
  bar.update(index, scenario.name, 0, 'starting');
  let result: ScenarioResult;
  try {
    result = await scenario.run(context);
  } catch (error) {
    bar.done();
    crashed.push(scenario.name);
    process.stderr.write(`scenario ${scenario.name} crashed: ${(error as Error)?.stack ?? error}\n`);
    rows.push({
      scenario: scenario.name,
      metric: 'CRASHED',
      value: String((error as Error)?.message ?? error),
    });
    continue;
  }
  bar.done();
  const seconds = ((Date.now() - startedAt) / 1_000).toFixed(1);
  console.log(`## ${scenario.name} (${seconds} s)\n`);
  for (const [name, value] of Object.entries(result.parameters)) console.log(`- ${name}: ${value}`);
  console.log('');
  for (const row of result.rows) rows.push({ scenario: scenario.name, ...row });
  mergeInto(json, result.json);
  files.push(...(result.files ?? []));
}

console.log(markdownTable(rows));
const commit = gitCommit();
const document = {
  ...json,
  run: {
    date: new Date().toISOString(),
    quick: values.quick,
    scale,
    scenarios: selected.map((scenario) => scenario.name),
    crashed,
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    gitCommit: commit,
    files,
  },
  rows,
};
mkdirSync(RESULTS, { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const text = `${JSON.stringify(document, null, 2)}\n`;
writeFileSync(new URL(`bench-${stamp}.json`, RESULTS), text);
writeFileSync(new URL('latest.json', RESULTS), text);
console.log(`\nresults: bench/results/bench-${stamp}.json (and latest.json)`);
process.exit(crashed.length > 0 ? 1 : 0);

function markdownTable(all: typeof rows): string {
  const lines = ['| scenario | metric | value | target | met |', '|---|---|---|---|---|'];
  for (const row of all) {
    const met = row.met === undefined ? '' : row.met ? 'yes' : '**no**';
    lines.push(`| ${row.scenario} | ${row.metric} | ${row.value} | ${row.target ?? ''} | ${met} |`);
  }
  return lines.join('\n');
}

/** Merges scenario JSON one level deep, so two scenarios may add fields to the same key. */
function mergeInto(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    target[key] = isRecord(existing) && isRecord(value) ? { ...existing, ...value } : value;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function gitCommit(): string {
  try {
    const sha = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { encoding: 'utf8' }).trim() !== '';
    return dirty ? `${sha} (uncommitted changes)` : sha;
  } catch {
    return 'unknown';
  }
}
