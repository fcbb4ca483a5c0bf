import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningHerald, startHerald } from '../../src/app/herald.ts';
import { SIMULATOR_VENDOR_CHANNELS } from '../../src/config/default-remote-config.ts';
import { loadEnvConfig } from '../../src/config/env-config.ts';
import type { RemoteConfigDocument } from '../../src/core/domain/remote-config.ts';
import { createLogger, type Logger, silentLogger } from '../../src/observability/logger.ts';
import { type SimulatorServer, startSimulatorServer } from '../../src/simulators/simulator-server.ts';
import { withLiftedRateLimits } from '../../test/support/lifted-rate-limits.ts';
import { TEST_RECIPIENT_HASH_SECRET } from '../../test/support/production-env.ts';
import type { BenchContext } from '../scenario.ts';
import { BENCH_CREDENTIALS_DIR, benchSimulatorTrust } from '../support/bench-engines.ts';

/** Shared by the herald-side scenarios: one herald on the production engines, simulators outside it. */
export const BENCH_KEY = 'bench-bootstrap-key-0123456789abcdef';

/** What a scenario does with a running herald, through its HTTP API only. */
export interface BenchHeraldClient {
  readonly url: string;
  /** POST /v1/messages; returns the message ids in recipient order (throws unless 202). */
  send(body: unknown): Promise<string[]>;
  /** GET on herald's API with the bootstrap key; the parsed JSON answer. */
  get(path: string): Promise<unknown>;
  /** Replaces the lane budgets of the stored remote config (PUT /admin/config). */
  setLanes(lanes: Partial<RemoteConfigDocument['lanes']>): Promise<void>;
  /** Sets vendors' `maxPerSecond` (their contract's rate) in the stored remote config. */
  setVendorRates(rates: Readonly<Record<string, number>>): Promise<void>;
}

export interface BenchHerald extends BenchHeraldClient {
  readonly herald: RunningHerald;
  stop(): Promise<void>;
}

/** herald with every role in this process, on Kafka/Redis/PostgreSQL, sending to `simulatorUrl`. */
export async function startBenchHerald(
  context: BenchContext,
  name: string,
  simulatorUrl: string,
  env: Record<string, string> = {},
  logger: Logger = silentLogger(),
): Promise<BenchHerald> {
  const dataDir = mkdtempSync(join(tmpdir(), `herald-bench-${name}-`));
  const config = loadEnvConfig({
    HERALD_PORT: '0',
    HERALD_DATA_DIR: dataDir,
    HERALD_BOOTSTRAP_API_KEY: BENCH_KEY,
    HERALD_KAFKA_BROKERS: context.kafkaBrokers,
    HERALD_REDIS_URL: context.redisUrl,
    HERALD_DATABASE_URL: context.databaseUrl,
    HERALD_NAMESPACE: context.namespace(name),
    HERALD_RECIPIENT_HASH_SECRET: TEST_RECIPIENT_HASH_SECRET,
    HERALD_SIMULATORS: 'external',
    HERALD_SIMULATOR_URL: simulatorUrl,
    HERALD_SIMULATOR_CREDENTIALS_DIR: BENCH_CREDENTIALS_DIR,
    HERALD_LOG_LEVEL: 'silent',
    ...env,
  });
  const herald = await startHerald(config, logger);
  await liftRateLimits(herald.url!);
  return {
    ...heraldClient(herald.url!),
    herald,
    async stop() {
      await herald.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The API calls a scenario makes, against herald at `url` (in this process or another). */
export function heraldClient(url: string): BenchHeraldClient {
  return {
    url,
    async send(body) {
      const answer = await call(url, 'POST', '/v1/messages', body);
      return (answer.messages as { messageId: string }[]).map((m) => m.messageId);
    },
    get: (path) => call(url, 'GET', path),
    setLanes: (lanes) =>
      changeConfig(url, (document) => ({ ...document, lanes: { ...document.lanes, ...lanes } })),
    setVendorRates: (rates) =>
      changeConfig(url, (document) => ({
        ...document,
        vendors: Object.fromEntries(
          Object.entries(document.vendors).map(([id, settings]) => [
            id,
            rates[id] === undefined ? settings : { ...settings, maxPerSecond: rates[id] },
          ]),
        ),
      })),
  };
}

/**
 * The bench measures herald, not its per-client rate limits (which would cap a flood at the
 * default 1,000 recipients/s): every client gets the largest limits allowed.
 */
export function liftRateLimits(url: string): Promise<void> {
  return changeConfig(url, withLiftedRateLimits);
}

/** Stores a changed remote config (PUT /admin/config) and waits until every process applied it. */
async function changeConfig(
  url: string,
  change: (document: RemoteConfigDocument) => RemoteConfigDocument,
): Promise<void> {
  const current = await call(url, 'GET', '/admin/config');
  await call(url, 'PUT', '/admin/config', change(current.document as RemoteConfigDocument), {
    'if-match': `"${current.version}"`,
  });
  // Workers apply a change within a second (change notification); wait it out.
  await sleep(1_500);
}

// biome-ignore lint/suspicious/noExplicitAny: the bench reads herald's JSON answers loosely
async function call(url: string, method: string, path: string, body?: unknown, headers = {}): Promise<any> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${BENCH_KEY}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}

/** One simulator process-in-process hosting every simulator vendor at the given median latency. */
export async function startBenchSimulators(
  medianMs: number,
  credentialsDir = BENCH_CREDENTIALS_DIR,
): Promise<SimulatorServer> {
  const latency = { medianMs, p99Ms: medianMs * 2, outlierShare: 0 };
  return startSimulatorServer({
    vendors: Object.fromEntries(Object.keys(SIMULATOR_VENDOR_CHANNELS).map((id) => [id, { latency }])),
    ...(await benchSimulatorTrust(credentialsDir)),
  });
}

/** An SMS request body on `lane` for `count` recipients numbered from `offset`. */
export function smsRequest(lane: string, count: number, offset: number, body = 'bench #{n}') {
  return {
    channel: 'sms',
    lane,
    content: { body },
    recipients: Array.from({ length: count }, (_, i) => ({
      to: `010${String(10_000_000 + offset + i).padStart(8, '0')}`,
      vars: { n: String(offset + i) },
    })),
  };
}

/** Same clock as the simulator's arrivedAt/receivedAt (epoch ms, sub-millisecond). */
export { epochNowMs } from '../../src/simulators/receive-counter.ts';

/** Nearest-rank percentile of `values` (0 < p <= 100); NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** From herald's Prometheus text: call counts per vendor/outcome, and slow (>= 1 s) failed calls. */
export async function vendorCallSummary(text: Promise<string>): Promise<Record<string, number>> {
  const summary: Record<string, number> = {};
  for (const line of (await text).split('\n')) {
    if (!line.startsWith('herald_vendor_call_seconds_')) continue;
    const vendor = /vendor="([^"]+)"/.exec(line)?.[1];
    const outcome = /outcome="([^"]+)"/.exec(line)?.[1];
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (line.startsWith('herald_vendor_call_seconds_count')) summary[`${vendor} ${outcome}`] = value;
    if (line.includes('le="1"') && outcome !== 'sent') summary[`${vendor} ${outcome} under 1 s`] = value;
  }
  return summary;
}

/** From herald's Prometheus text: receipt and delivery look-ups per vendor and outcome. */
export async function deliveryCheckSummary(text: Promise<string>): Promise<Record<string, number>> {
  const summary: Record<string, number> = {};
  for (const line of (await text).split('\n')) {
    if (!line.startsWith('herald_delivery_checks_total{')) continue;
    const vendor = /vendor="([^"]+)"/.exec(line)?.[1];
    const outcome = /outcome="([^"]+)"/.exec(line)?.[1];
    const key = `${vendor} ${outcome}`;
    summary[key] = (summary[key] ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return summary;
}

/**
 * A logger that drops everything but counts the failed receipt look-ups herald warns of, by vendor
 * and error code (HERALD_VENDOR_TIMEOUT, HERALD_VENDOR_RATE_LIMITED...): what the bench reports of
 * look-ups beside the per-message outcomes of herald_delivery_checks_total.
 */
export function lookUpFailureCounter(): { readonly logger: Logger; readonly counts: Record<string, number> } {
  const counts: Record<string, number> = {};
  const destination = {
    write(line: string) {
      const entry = JSON.parse(line) as { msg?: string; vendor?: string; err?: { code?: string } };
      if (entry.msg !== 'receipt look-up failed; asking again later') return;
      const key = `${entry.vendor} ${entry.err?.code ?? 'unknown'}`;
      counts[key] = (counts[key] ?? 0) + 1;
    },
  };
  return { logger: createLogger({ level: 'warn', destination }), counts };
}

/** Offers `count` messages in chunks of `size`, `concurrency` chunks at a time, in offset order. */
export async function submitInChunks(
  count: number,
  size: number,
  concurrency: number,
  submit: (offset: number, size: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const offset = next;
      const chunk = Math.min(size, count - offset);
      next += chunk;
      await submit(offset, chunk);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
