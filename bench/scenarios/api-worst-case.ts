import { loadEnvConfig } from '../../src/config/env-config.ts';
import type { BenchContext, Scenario, ScenarioResult } from '../scenario.ts';
import { cleanUpNamespace, fixed, startBenchSimulator } from '../support/bench-engines.ts';
import { startHeraldProcesses } from '../support/herald-processes.ts';
import type { Candidate } from './api-worst-case-requests.ts';
import { CANDIDATES, NORMAL, WORST_CASE_TEMPLATE } from './api-worst-case-requests.ts';
import { BENCH_KEY, percentile } from './herald-bench-kit.ts';

/** The goal: no request within the body limit costs more than 3 normal ones. */
const TARGET_RATIO = 3;

interface Timing {
  readonly ms: number;
  readonly status: number;
  /** `accepted 100`, `rejected 100 (HERALD_BODY_TOO_LONG)`, or the error code. */
  readonly outcome: string;
}

/**
 * The most expensive request a client can send within the body limit, as a ratio of its server
 * time to a normal 100-recipient request in the same run (issue 8: one request must not freeze
 * the process). `herald api` runs as its own process on the production engines; each request is
 * serialised before the clock starts, so the time is herald's (and localhost's) alone. Rounds
 * interleave a normal request before every candidate, and medians are compared.
 */
export const apiWorstCase: Scenario = {
  name: 'apiWorstCase',
  async run(context: BenchContext): Promise<ScenarioResult> {
    const rounds = context.scale < 1 ? 5 : 11;
    const bodyLimit = loadEnvConfig({}).bodyLimitBytes;
    const requests = prepare([NORMAL, ...CANDIDATES], rounds + 1, bodyLimit);
    const simulator = await startBenchSimulator({ medianMs: 0 });
    const herald = await startHeraldProcesses(context, 'worst', simulator.url, []);
    const times = new Map<string, Timing[]>();
    try {
      await registerTemplate(herald.url);
      // Round 0 warms up (JIT, connection pools, the EUC-KR table) and is not counted.
      for (let round = 0; round <= rounds; round++) {
        for (const [index, candidate] of CANDIDATES.entries()) {
          context.progress(
            (round * CANDIDATES.length + index) / ((rounds + 1) * CANDIDATES.length),
            candidate.name,
          );
          const normal = await post(
            herald.url,
            requests.get(NORMAL.name)![round * CANDIDATES.length + index]!,
          );
          const timed = await post(herald.url, requests.get(candidate.name)![round]!);
          if (round === 0) continue;
          for (const [name, timing] of [
            [NORMAL.name, normal],
            [candidate.name, timed],
          ] as const) {
            times.set(name, [...(times.get(name) ?? []), timing]);
          }
        }
      }
    } finally {
      await herald.stop();
      await simulator.close();
      await cleanUpNamespace(context, context.namespace('worst'));
    }
    return summarise(times, requests, rounds, bodyLimit);
  },
};

/** Every request of the run as JSON bytes, checked against the body limit: `rounds` per candidate. */
function prepare(candidates: readonly Candidate[], rounds: number, bodyLimit: number): Map<string, Buffer[]> {
  const requests = new Map<string, Buffer[]>();
  for (const candidate of candidates) {
    // The normal request runs before every candidate, so it needs that many distinct bodies.
    const count = candidate === NORMAL ? rounds * CANDIDATES.length : rounds;
    const bodies = Array.from({ length: count }, (_, round) =>
      Buffer.from(JSON.stringify(candidate.build(round))),
    );
    const largest = Math.max(...bodies.map((body) => body.length));
    if (largest > bodyLimit)
      throw new Error(`${candidate.name} is ${largest} bytes, over the ${bodyLimit}-byte limit`);
    requests.set(candidate.name, bodies);
  }
  return requests;
}

/**
 * The bootstrap key's client ('default') registers the template and records it approved at every
 * vendor the running config routes AlimTalk to (as an operator does for a template reviewed at
 * the vendors' consoles), so the AlimTalk candidate is judged on its content, not refused 422.
 */
async function registerTemplate(url: string): Promise<void> {
  const admin = async (method: string, path: string, body?: object) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${BENCH_KEY}`, ...(body && { 'content-type': 'application/json' }) },
      ...(body && { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<{ document?: { routing: Record<string, { vendor: string }[]> } }>;
  };
  const { code, body } = WORST_CASE_TEMPLATE;
  await admin('PUT', `/admin/templates/${code}`, { clientId: 'default', body });
  const config = await admin('GET', '/admin/config');
  for (const { vendor } of config.document?.routing.alimtalk ?? []) {
    await admin('PUT', `/admin/templates/${code}/vendors/${vendor}`, {
      clientId: 'default',
      state: 'approved',
    });
  }
}

async function post(url: string, body: Buffer): Promise<Timing> {
  const started = performance.now();
  const response = await fetch(`${url}/v1/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${BENCH_KEY}`, 'content-type': 'application/json' },
    body,
  });
  const text = await response.text();
  const ms = performance.now() - started;
  return { ms, status: response.status, outcome: outcomeOf(response.status, text) };
}

function outcomeOf(status: number, text: string): string {
  // biome-ignore lint/suspicious/noExplicitAny: the bench reads herald's JSON answers loosely
  const answer = JSON.parse(text) as any;
  if (status === 202) return `accepted ${answer.accepted}, rejected ${answer.rejected}`;
  const codes = new Set<string>(
    (answer.messages ?? []).map((m: { error: { code: string } }) => m.error.code),
  );
  return codes.size > 0 ? `${answer.error.code} (${[...codes].join(', ')})` : answer.error.code;
}

function summarise(
  times: ReadonlyMap<string, readonly Timing[]>,
  requests: ReadonlyMap<string, readonly Buffer[]>,
  rounds: number,
  bodyLimit: number,
): ScenarioResult {
  const median = (name: string) =>
    percentile(
      times.get(name)!.map((t) => t.ms),
      50,
    );
  const normalMs = median(NORMAL.name);
  const candidates = CANDIDATES.map((candidate) => {
    const timings = times.get(candidate.name)!;
    return {
      name: candidate.name,
      idea: candidate.idea,
      requestBytes: requests.get(candidate.name)![1]!.length,
      status: timings[0]!.status,
      outcome: timings[0]!.outcome,
      medianMs: median(candidate.name),
      maxMs: Math.max(...timings.map((t) => t.ms)),
      ratio: median(candidate.name) / normalMs,
    };
  });
  const worst = candidates.reduce((a, b) => (b.ratio > a.ratio ? b : a));
  return {
    parameters: {
      rounds: `${rounds} (after one warm-up round), a normal request before every candidate; medians compared`,
      normal: NORMAL.idea,
      bodyLimit: `${bodyLimit} bytes (HERALD_BODY_LIMIT_BYTES default); every candidate fits`,
      herald:
        '`herald api` (and a retry worker and the history writer) as processes on Kafka, Redis and PostgreSQL; no lane workers',
      serverTime: 'POST /v1/messages round trip on localhost, the body serialised before the clock starts',
    },
    rows: [
      { metric: 'normal 100-recipient request, median', value: `${fixed(normalMs)} ms` },
      ...candidates.map((c) => ({
        metric: `${c.name}: ${c.outcome}`,
        value: `${fixed(c.medianMs)} ms, ${fixed(c.ratio, 2)}x`,
      })),
      {
        metric: `worst request (${worst.name}) / normal request, server time`,
        value: `${fixed(worst.ratio, 2)}x`,
        target: `<= ${TARGET_RATIO}x`,
        met: worst.ratio <= TARGET_RATIO,
      },
    ],
    json: { apiWorstCase: { normalMs, worst: { name: worst.name, ratio: worst.ratio }, candidates } },
  };
}
