import { hashApiKey } from '../src/core/auth/api-keys.ts';
import type { ClientRateLimit } from '../src/core/domain/remote-config.ts';
import { startTestHerald, type TestHerald, waitFor } from '../test/support/herald-harness.ts';
import { productionEnv, uniqueNamespace } from '../test/support/production-env.ts';
import { settle, startDrillSimulator } from './support/drill-simulator.ts';
import { flood, type Submission, statusCounts } from './support/flood.ts';
import { type DrillOptions, deliveryFields, sleep, type Verdict } from './support/verdict.ts';

export interface RateLimitDrillOptions extends DrillOptions {
  /** production (default): Kafka, Redis, PostgreSQL, the limiter's counters in Redis; embedded: SQLite, memory. */
  readonly engines?: 'production' | 'embedded';
}

const FLOODER_KEY = 'drill-flooder-key-0123456789abcdef';
const QUIET_KEY = 'drill-quiet-key-0123456789abcdef';
/** The quiet client's steady trickle: one realtime SMS per request. */
const TRICKLE_PER_SECOND = 20;
/** The flooder's requests in flight; it ignores Retry-After and sends its next request at once. */
const FLOOD_CONCURRENCY = 8;
/**
 * The flooder's own limits, set in the remote config as an operator would: low enough that it is
 * over them on any machine (a 2-core box shared with the engines takes ~1,500 recipients/s through
 * one embedded process), so the drill shows the limit at work rather than the machine's speed.
 */
const FLOODER_LIMIT: ClientRateLimit = {
  requestsPerSecond: 20,
  requestBurst: 40,
  recipientsPerSecond: 500,
  recipientBurst: 1_000,
};

/**
 * Issue 8, item 6: one client floods realtime requests (100 recipients each, as fast as it can,
 * never waiting out a 429) while another sends a steady trickle; the flooder has its own limits in
 * the remote config (FLOODER_LIMIT), the quiet client the default. Promises: the flooder is
 * refused with 429 and Retry-After, the quiet client never is, and nothing accepted is lost.
 * Reported, not judged (it is timing): the quiet client's accept p99 (POST to 202) and delivery
 * p99 (POST to the vendor), flood vs idle.
 */
export async function runRateLimitDrill(options: RateLimitDrillOptions): Promise<Verdict> {
  const sim = await startDrillSimulator(20);
  const external = {
    HERALD_SIMULATORS: 'external',
    HERALD_SIMULATOR_URL: sim.url,
    HERALD_SIMULATOR_CREDENTIALS_DIR: sim.credentialsDir,
  };
  const h = await startTestHerald(
    options.engines === 'embedded' ? external : productionEnv(uniqueNamespace('drillrate'), external),
  );
  const delivered = new Map<string, number>();
  const unsubscribe = sim.onReceive((event) => {
    if (!delivered.has(event.messageId)) delivered.set(event.messageId, event.receivedAt);
  });
  try {
    await addClientKeys(h);
    await limitFlooder(h);
    const idleMs = Math.round(options.outageMs / 2);
    const floodMs = options.outageMs;
    let floodStartedAt = Number.POSITIVE_INFINITY;
    let over = false;
    options.log(`rate-limit: quiet client alone for ${idleMs} ms, then a realtime flood for ${floodMs} ms`);
    const trickling = flood({
      url: h.url,
      apiKey: QUIET_KEY,
      lane: 'realtime',
      perRequest: 1,
      messages: 1_000_000,
      messagesPerSecond: TRICKLE_PER_SECOND,
      offset: 700_000,
      concurrency: 4,
      honourRetryAfter: false,
      stop: () => over,
    });
    await sleep(idleMs);
    floodStartedAt = Date.now();
    const flooding = flood({
      url: h.url,
      apiKey: FLOODER_KEY,
      lane: 'realtime',
      messages: 10_000_000,
      offset: 1_700_000,
      concurrency: FLOOD_CONCURRENCY,
      honourRetryAfter: false,
      stop: () => Date.now() - floodStartedAt >= floodMs,
    });
    const flooder = await flooding;
    over = true;
    const quiet = await trickling;
    options.log(`rate-limit: flood over (${statusCounts(flooder.submissions)}); draining what was accepted`);
    const accepted = [...quiet.messageIds, ...flooder.messageIds];
    const tally = await settle(sim, accepted, 300_000);
    const idle = latencies(quiet.submissions, delivered, (s) => s.sentAt < floodStartedAt);
    const flooded = latencies(quiet.submissions, delivered, (s) => s.sentAt >= floodStartedAt);
    return verdictOf({
      quiet: quiet.submissions,
      flooder: flooder.submissions,
      idle,
      flooded,
      tally,
      accepted,
    });
  } finally {
    unsubscribe();
    await h.stop().catch(() => {});
    await sim.close();
  }
}

async function addClientKeys(h: TestHerald): Promise<void> {
  for (const [clientId, key] of [
    ['flooder', FLOODER_KEY],
    ['quiet', QUIET_KEY],
  ] as const) {
    await h.herald.stores.config.createApiKey(
      { keyId: `drill-${clientId}`, clientId, role: 'client', name: `rate-limit drill ${clientId}` },
      hashApiKey(key),
    );
    // SMS goes from a sender number registered for the client (docs/senders.md).
    const registered = await h.call('PUT', '/v1/sender-numbers', {
      clientId,
      numbers: [{ number: '02-1234-5678' }],
    });
    if (registered.status !== 200) throw new Error(`PUT /v1/sender-numbers answered ${registered.status}`);
  }
}

/** Stores the flooder's limits (PUT /admin/config) and waits until this herald applies them. */
async function limitFlooder(h: TestHerald): Promise<void> {
  const current = await h.call('GET', '/admin/config');
  const document = current.body.document;
  const rateLimits = {
    ...document.rateLimits,
    clients: { ...document.rateLimits?.clients, flooder: FLOODER_LIMIT },
  };
  const stored = await h.call('PUT', '/admin/config', { ...document, rateLimits });
  if (stored.status !== 200)
    throw new Error(`PUT /admin/config answered ${stored.status}: ${JSON.stringify(stored.body)}`);
  await waitFor(
    async () => h.herald.config.version >= stored.body.version,
    10_000,
    'the flooder limit applied',
  );
}

interface Latencies {
  readonly requests: number;
  readonly acceptP99: number;
  readonly deliveryP99: number;
}

/** p99 of the quiet client's accept (POST -> 202) and delivery (POST -> vendor) times, ms. */
function latencies(
  submissions: readonly Submission[],
  delivered: ReadonlyMap<string, number>,
  inPhase: (s: Submission) => boolean,
): Latencies {
  const phase = submissions.filter((s) => inPhase(s) && s.status === 202);
  const deliveries = phase.flatMap((s) =>
    s.messageIds.flatMap((id) => (delivered.has(id) ? [delivered.get(id)! - s.sentAt] : [])),
  );
  return {
    requests: phase.length,
    acceptP99: p99(phase.map((s) => s.at - s.sentAt)),
    deliveryP99: p99(deliveries),
  };
}

function p99(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)]!;
}

function verdictOf(run: {
  quiet: readonly Submission[];
  flooder: readonly Submission[];
  idle: Latencies;
  flooded: Latencies;
  tally: Parameters<typeof deliveryFields>[0];
  accepted: readonly string[];
}): Verdict {
  const { quiet, flooder, idle, flooded, tally } = run;
  const limited = flooder.filter((s) => s.status === 429);
  const quietRefused = quiet.filter((s) => s.status !== 202);
  const broken: string[] = [];
  if (limited.length === 0) broken.push(`the flooder was never refused (${statusCounts(flooder)})`);
  if (limited.some((s) => s.errorCode !== 'HERALD_RATE_LIMITED' || !s.retryAfter)) {
    broken.push('a 429 without HERALD_RATE_LIMITED and Retry-After');
  }
  if (quietRefused.length > 0)
    broken.push(`${quietRefused.length} quiet requests refused (${statusCounts(quiet)})`);
  // Duplicates are shown in the line but judged by the kill and hang drills: here they can only
  // come from time limits firing on a starved machine, which is not what this drill is about.
  if (tally.lost > 0) broken.push(`${tally.lost} lost`);
  const acceptRatio = flooded.acceptP99 / idle.acceptP99;
  const deliveryRatio = flooded.deliveryP99 / idle.deliveryP99;
  const flooderAccepted = flooder.reduce((n, s) => n + s.messageIds.length, 0);
  return {
    drill: 'rate-limit',
    accepted: run.accepted.length,
    ...deliveryFields(tally),
    inFlightAtFault: `flooder ${statusCounts(flooder)} (${flooderAccepted} messages accepted)`,
    recovered:
      `quiet client ${quiet.length} requests, all 202: ${quietRefused.length === 0}; accept p99 idle ` +
      `${ms(idle.acceptP99)} -> flood ${ms(flooded.acceptP99)} = ${acceptRatio.toFixed(2)}x; delivery p99 ` +
      `${ms(idle.deliveryP99)} -> ${ms(flooded.deliveryP99)} = ${deliveryRatio.toFixed(2)}x`,
    figures: {
      flooderRequests: flooder.length,
      flooderLimited: limited.length,
      flooderAccepted,
      quietRequests: quiet.length,
      quietRefused: quietRefused.length,
      acceptP99IdleMs: idle.acceptP99,
      acceptP99FloodMs: flooded.acceptP99,
      acceptRatio,
      deliveryP99IdleMs: idle.deliveryP99,
      deliveryP99FloodMs: flooded.deliveryP99,
      deliveryRatio,
    },
    broken,
  };
}

const ms = (value: number) => `${Math.round(value)} ms`;
