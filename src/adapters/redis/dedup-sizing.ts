import { parseArgs } from 'node:util';
import { DEFAULT_KEY_PREFIX, dedupKeyLength, RESERVED } from './dedup-keys.ts';
import type { DedupMemoryInput, DedupMemoryPrediction } from './dedup-memory-model.ts';
import { predictDedupMemory, sharesIntegers } from './dedup-memory-model.ts';
import type { DedupMemoryMeasurement } from './dedup-memory-probe.ts';
import { measureDedupMemory } from './dedup-memory-probe.ts';
import { parseRedisUrl, redactPassword } from './redis-url.ts';

export type { DedupMemoryInput, DedupMemoryPrediction } from './dedup-memory-model.ts';
export { predictDedupMemory } from './dedup-memory-model.ts';
export type { DedupMemoryMeasurement } from './dedup-memory-probe.ts';
export { measureDedupMemory } from './dedup-memory-probe.ts';

export const DEDUP_SIZING_USAGE =
  'usage: herald dedup sizing --rate N/s --window D [--measure] [--redis URL] [--sample N]\n' +
  '  --rate     messages per second, e.g. 5000/s or 5k/s\n' +
  '  --window   dedup window, e.g. 24h, 90m, 7d\n' +
  '  --measure  also write sample keys to the live Redis and report their real cost\n' +
  '  --redis    Redis URL (default $HERALD_REDIS_URL, else redis://127.0.0.1:6379)\n' +
  '  --sample   sample keys for --measure (default 10000)';

export interface SizingOutput {
  write(text: string): unknown;
}

/**
 * `herald dedup sizing`: predicts the dedup store's Redis memory for a rate and a window and, with
 * --measure, checks the per-key cost against the live server. Throws an Error carrying the usage
 * text on bad arguments; the CLI decides the exit code.
 */
export async function runDedupSizing(argv: readonly string[], output: SizingOutput): Promise<void> {
  const args = parseSizingArgs(argv);
  const target = parseRedisUrl(args.redisUrl);
  const shape: DedupMemoryInput = {
    ratePerSecond: args.ratePerSecond,
    windowMs: args.windowMs,
    keyBytes: dedupKeyLength(DEFAULT_KEY_PREFIX, !target.cluster),
    valueBytes: RESERVED.length,
    integerValue: true,
    cluster: target.cluster,
  };
  const measurement = args.measure ? await measureDedupMemory(args.redisUrl, args.sampleSize) : undefined;
  const policy = measurement?.maxmemoryPolicy ?? 'volatile-ttl';
  const quantum = measurement ? closestQuantum(shape, policy, measurement) : 8;
  const prediction = predictDedupMemory({ ...shape, maxmemoryPolicy: policy, sizeClassQuantum: quantum });
  output.write(formatPrediction(args, shape, prediction, quantum, measurement !== undefined));
  if (measurement) output.write(formatMeasurement(redactPassword(args.redisUrl), measurement, prediction));
  output.write(formatPolicyAdvice(measurement?.maxmemoryPolicy));
}

interface SizingArgs {
  readonly ratePerSecond: number;
  readonly windowMs: number;
  readonly windowText: string;
  readonly measure: boolean;
  readonly redisUrl: string;
  readonly sampleSize: number;
}

export function parseSizingArgs(argv: readonly string[]): SizingArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      rate: { type: 'string' },
      window: { type: 'string' },
      measure: { type: 'boolean', default: false },
      redis: { type: 'string' },
      sample: { type: 'string', default: '10000' },
    },
    strict: true,
  });
  const problems: string[] = [];
  const ratePerSecond = values.rate === undefined ? Number.NaN : parseRate(values.rate);
  if (!(ratePerSecond > 0))
    problems.push(`--rate: expected N/s such as 5000/s, got ${values.rate ?? 'nothing'}`);
  const windowMs = values.window === undefined ? Number.NaN : parseDuration(values.window);
  if (!(windowMs > 0))
    problems.push(`--window: expected a duration such as 24h, got ${values.window ?? 'nothing'}`);
  const sampleSize = Number(values.sample);
  if (!Number.isInteger(sampleSize) || sampleSize < 1) problems.push(`--sample: expected a positive integer`);
  if (problems.length > 0) throw new Error(`${problems.join('\n')}\n${DEDUP_SIZING_USAGE}`);
  return {
    ratePerSecond,
    windowMs,
    windowText: values.window!,
    measure: values.measure,
    redisUrl: values.redis ?? process.env.HERALD_REDIS_URL ?? 'redis://127.0.0.1:6379',
    sampleSize,
  };
}

/** 5000, 5000/s, 5k/s, 1.5m/s (millions). */
export function parseRate(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([km])?(?:\/s)?$/i.exec(text.trim());
  if (!match) return Number.NaN;
  const scale = { k: 1e3, m: 1e6 }[match[2]?.toLowerCase() as 'k' | 'm'] ?? 1;
  return Number(match[1]) * scale;
}

const DURATION_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** 500ms, 30s, 90m, 24h, 7d. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text.trim());
  if (!match) return Number.NaN;
  return Number(match[1]) * DURATION_MS[match[2] as keyof typeof DURATION_MS];
}

/** The size-class spacing whose MEMORY USAGE prediction is nearest the measured one. */
function closestQuantum(shape: DedupMemoryInput, policy: string, measured: DedupMemoryMeasurement): 8 | 16 {
  const miss = (quantum: 8 | 16) =>
    Math.abs(
      predictDedupMemory({ ...shape, maxmemoryPolicy: policy, sizeClassQuantum: quantum })
        .memoryUsageCommandBytes - measured.memoryUsagePerKey,
    );
  return miss(16) < miss(8) ? 16 : 8;
}

function formatPrediction(
  args: SizingArgs,
  shape: DedupMemoryInput,
  prediction: DedupMemoryPrediction,
  quantum: number,
  measured: boolean,
): string {
  const { breakdown: b } = prediction;
  const lines = [
    'herald dedup sizing',
    `  ${count(args.ratePerSecond)}/s x ${args.windowText} window = ${count(prediction.keys)} keys alive at once`,
    `  key: '${DEFAULT_KEY_PREFIX}' + tag + ${shape.cluster ? '22-char base64url (cluster)' : '16 raw bytes'}` +
      ` = ${shape.keyBytes} B; value: '1'/'2' (${b.value === 0 ? 'shared integer, 0 B' : `${b.value} B robj`})`,
    '',
    `predicted (Redis 7.x, 64-bit, jemalloc with ${quantum}-byte size classes${measured ? ', as measured' : ''}):`,
    `  main dict entry   ${pad(b.dictEntry)} B${shape.cluster ? ' (with cluster slot links)' : ''}`,
    `  key SDS           ${pad(b.keySds)} B`,
    `  value             ${pad(b.value)} B`,
    `  expires entry     ${pad(b.expiresEntry)} B`,
    `  bucket pointers   ${pad(b.buckets)} B (two dicts, power-of-two tables)`,
    `  per key           ${pad(prediction.bytesPerKey)} B`,
    `  used_memory       ${bytes(prediction.totalBytes)}`,
    `  maxmemory         ${bytes(prediction.recommendedMaxmemoryBytes)} recommended`,
    '                    (+10% expired keys awaiting reclaim, +50% buckets while a table grows, +20% growth)',
  ];
  return `${lines.join('\n')}\n\n`;
}

function formatMeasurement(
  url: string,
  m: DedupMemoryMeasurement,
  prediction: DedupMemoryPrediction,
): string {
  const lines = [
    `measured on ${url} (Redis ${m.redisVersion}, ${m.allocator}, maxmemory-policy ${m.maxmemoryPolicy}),`,
    `${count(m.sampleSize)} sample keys written as the store writes them, then deleted:`,
    `  MEMORY USAGE      ${pad(m.memoryUsagePerKey)} B/key (predicted ${prediction.memoryUsageCommandBytes} B; ` +
      'it leaves out the expires entry and the buckets)',
    `  used_memory delta ${pad(m.usedMemoryPerKey)} B/key (the whole cost; bucket tables grow in steps,`,
    '                    so small samples on a busy server wander)',
  ];
  return `${lines.join('\n')}\n\n`;
}

function formatPolicyAdvice(measuredPolicy: string | undefined): string {
  const lines = [
    'maxmemory-policy: volatile-ttl (noeviction if you prefer a loud failure)',
    '  Size maxmemory above the steady state so that TTL expiry, not eviction, carries the load:',
    '  every dedup key expires after the window, and Redis reclaims expired keys in the background at',
    '  the rate they were written. Eviction is the emergency brake, and an expensive one: at maxmemory',
    '  every write first evicts, inside the command path, so a full instance slows every client (LRU',
    '  eviction under max memory is what stalled the cluster in the talk). volatile-ttl evicts the keys',
    '  nearest their expiry (the oldest sends, the least likely to be repeated) and keeps integer values',
    '  shared; allkeys-lru / volatile-lru / *-lfu cost 16 B more per key and evict recently sent keys at',
    '  random. noeviction refuses writes instead: the pipeline fails open (counted) until memory frees.',
    '  Alert on evicted_keys > 0 and on used_memory above 80% of maxmemory.',
  ];
  if (measuredPolicy !== undefined && !sharesIntegers(measuredPolicy)) {
    lines.push(`  WARNING: this server runs ${measuredPolicy}; switch to volatile-ttl.`);
  }
  return `${lines.join('\n')}\n`;
}

function count(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 1 });
}

function pad(n: number): string {
  return (Number.isInteger(n) ? String(n) : n.toFixed(1)).padStart(6);
}

function bytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}
