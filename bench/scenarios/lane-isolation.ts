import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import {
  HERALD_LANES,
  heraldLanesAtVendorRate,
  type LanePlan,
  SHARED_POOL,
  VENDOR_RATE_SHARE,
} from '../baselines/shared-pool.ts';
import type { BenchContext, Scenario, ScenarioResult } from '../scenario.ts';
import { readAcceptStages, stagePercentiles } from '../support/accept-stages.ts';
import { startHeraldProcesses } from '../support/herald-processes.ts';
import { phaseSamples } from '../support/phase-samples.ts';
import { type SchedulingShare, schedulingMeter, servicePids, type Watched } from '../support/run-queue.ts';
import {
  SIMULATOR_THREAD_NAME,
  type SimulatorThread,
  startSimulatorThread,
} from '../support/simulator-thread.ts';
import { epochNowMs, percentile, sleep, smsRequest, submitInChunks } from './herald-bench-kit.ts';
import { type Series, writeLatencyChart } from './latency-chart.ts';

/**
 * Lane isolation: a steady realtime trickle (one SMS per POST) while the batch lane takes a flood,
 * first at the machine's limit (no rates), then at the SMS vendors' contract rates (`maxPerSecond`,
 * as production runs it; they total half the first variant's drain rate, heraldLanesAtVendorRate),
 * then through the shared-pool baseline.
 * Latency is the message's `queued` history event (Kafka confirmed it, right before the 202) to
 * vendor receipt (the call reaching the simulator, before its simulated processing latency, which
 * is the vendor's and not herald's), idle vs flood,
 * for herald as built and for the one-shared-pool baseline (bench/baselines/shared-pool.ts).
 * Both run as herald is deployed (bench/support/herald-processes.ts): an API process, one worker
 * process per lane, a retry worker, a history writer; the clients run in this process and the
 * simulator on a worker thread of it (bench/support/simulator-thread.ts), so neither delays the other.
 */
const FULL_FLOOD = 100_000;
const TRICKLE_PER_SECOND = 20;
const SIM_LATENCY_MS = 10;
const FLOOD_REQUEST_SIZE = 100;
const FLOOD_POST_CONCURRENCY = 4;
const CHART = 'lane-isolation.svg';
const SERIES = 'lane-isolation.series.json';

interface Sample {
  readonly phase: 'idle' | 'flood' | 'after';
  /** ms since the variant's idle phase began, when the trickle POST was answered. */
  readonly at: number;
  /** Epoch ms: first when the 202 arrived here, then the server's accept (withServerAcceptTimes). */
  readonly acceptedAt: number;
  /** The API's own time for this message (accepted -> queued), when read back from history. */
  readonly apiMs?: number;
  readonly messageId: string;
}

interface PhaseStats {
  readonly p50: number;
  readonly p99: number;
  readonly count: number;
  readonly lost: number;
  /**
   * Idle only: trickle messages accepted before the flood began but received by the vendor after
   * it. They lived in both phases, so they count in neither.
   */
  readonly straddling: number;
  /** p99 of the API's own time (accepted -> queued), before the lane's part begins. */
  readonly apiP99: number;
  readonly loopDelayP99: number;
  readonly loopDelayMax: number;
  /** Event-loop delay of the simulator thread, which stamps vendor arrivals (p99, max). */
  readonly simLoopDelayP99: number;
  readonly simLoopDelayMax: number;
  /** Process CPU time / wall time (2.0 = both cores busy in this process). */
  readonly cpu: number;
}

interface VariantResult {
  readonly plan: LanePlan;
  readonly idle: PhaseStats;
  readonly flood: PhaseStats;
  readonly floodMs: number;
  readonly floodRate: number;
  /** How long the flood's 100-recipient POSTs took, first sent to last answered. */
  readonly floodSubmitMs: number;
  /** p99 of the flood's 100-recipient POSTs, sent to the 202 as the bench's client saw it. */
  readonly floodAcceptP99Ms: number;
  /**
   * The same accepts as the API timed them (herald_accept_stage_seconds, 11-100 recipients, bucketed):
   * where the time went, without the bench client's own delays.
   */
  readonly floodAcceptStages: ReturnType<typeof stagePercentiles>;
  readonly series: Series;
  /** History events of the slowest flood-phase trickle message, ms after its accept. */
  readonly slowest: Record<string, number>;
  /**
   * Each process's CPU use and run-queue wait (run-queue.ts), over the idle phase, the flood's
   * submission (the stretch the flood's accept p99 is measured in) and the whole flood phase.
   */
  readonly scheduling: Record<Stretch, Record<string, SchedulingShare>>;
  /** Calls each simulated vendor answered with success during the variant (deliveries + replays). */
  readonly vendorCalls: Record<string, number>;
}

export const laneIsolation: Scenario = {
  name: 'laneIsolation',
  async run(context: BenchContext): Promise<ScenarioResult> {
    const floodCount = Math.max(1_000, Math.round(FULL_FLOOD * context.scale));
    const idleMs = Math.max(5_000, Math.round(20_000 * Math.sqrt(context.scale)));
    const sim = await startSimulatorThread(SIM_LATENCY_MS);
    try {
      // The machine's limit first: the vendor rates of the next variant are a share of it.
      const variant = (plan: LanePlan, index: number) =>
        runVariant(context, sim, plan, floodCount, idleMs, (f, label) =>
          context.progress((index + f) / 3, `${plan.label}: ${label}`),
        );
      const herald = await variant(HERALD_LANES, 0);
      const atRate = await variant(heraldLanesAtVendorRate(herald.floodRate), 1);
      const shared = await variant(SHARED_POOL, 2);
      writeLatencyChart(
        `bench/results/${CHART}`,
        [atRate.series, herald.series, shared.series],
        idleMs,
        'Realtime latency, accept -> vendor receipt',
      );
      writeFileSync(
        `bench/results/${SERIES}`,
        `${JSON.stringify([atRate.series, herald.series, shared.series])}\n`,
      );
      return report(atRate, herald, shared, floodCount, idleMs);
    } finally {
      await sim.close();
    }
  },
};

type Sim = SimulatorThread;

async function runVariant(
  context: BenchContext,
  sim: Sim,
  plan: LanePlan,
  floodCount: number,
  idleMs: number,
  progress: (fraction: number, label: string) => void,
): Promise<VariantResult> {
  const tag = plan.trickleLane === plan.floodLane ? 'shared' : 'lanes';
  await sim.reset(); // the previous variant's messages out of the thread's heap
  const h = await startHeraldProcesses(context, `li_${tag}`, sim.url, ['realtime', 'batch']);
  const callsBefore = await sim.answeredCalls();
  const received = new Map<string, number>();
  // Vendor receipt = the call reaching the vendor, before the simulator's own processing latency.
  const unsubscribe = sim.onReceive((event) => received.set(event.messageId, event.arrivedAt));
  try {
    if (plan.lanes) await h.setLanes(plan.lanes);
    if (plan.vendorRates) await h.setVendorRates(plan.vendorRates);
    progress(0.02, 'warm-up');
    await warmUp(h.send, plan, tag, received);
    const samples: Sample[] = [];
    let phase: Sample['phase'] = 'idle';
    const start = epochNowMs();
    const trickle = startTrickle(h.send, plan, tag, (messageId, acceptedAt) =>
      samples.push({ phase, at: acceptedAt - start, acceptedAt, messageId }),
    );
    const watched = () => watchedProcesses(h.pids);
    const idleProbe = await probe(sim);
    const idleScheduling = schedulingMeter(watched);
    await sleep(idleMs);
    const idleProbeResult = await idleProbe.stop();
    const idleShares = idleScheduling.read();
    progress(0.2, 'flood');
    const floodProbe = await probe(sim);
    const stagesBefore = await readAcceptStages(h.url, '11-100');
    const floodStart = epochNowMs();
    // From the flood's start: read once the flood is submitted, and again once it is drained.
    const floodScheduling = schedulingMeter(watched);
    phase = 'flood';
    const { ids: floodIds, acceptP99Ms: floodAcceptP99Ms } = await flood(
      h.send,
      plan,
      tag,
      floodCount,
      (done) => progress(0.2 + 0.4 * (done / floodCount), 'flood submit'),
    );
    const floodSubmitShares = floodScheduling.read();
    const floodSubmitMs = epochNowMs() - floodStart;
    const floodAcceptStages = stagePercentiles(stagesBefore, await readAcceptStages(h.url, '11-100'));
    // Counted once, then kept up to date per delivery: rescanning 100k ids every tick would block
    // this process's clients (the trickle whose latency is measured).
    const floodSet = new Set(floodIds);
    let floodDelivered = countIn(received, floodIds);
    const stopCounting = sim.onReceive((event) => {
      if (floodSet.delete(event.messageId)) floodDelivered += 1;
    });
    for (const id of floodIds) if (received.has(id)) floodSet.delete(id);
    await waitUntil(
      () => floodDelivered >= floodIds.length,
      600_000,
      () => progress(0.6 + 0.35 * (floodDelivered / floodIds.length), 'flood drain'),
    ).finally(stopCounting);
    const floodMs = epochNowMs() - floodStart;
    const floodShares = floodScheduling.read();
    phase = 'after';
    const floodProbeResult = await floodProbe.stop();
    await trickle.stop();
    // A trickle message still missing after this is reported as lost, not waited for forever.
    await waitUntil(() => samples.every((s) => received.has(s.messageId)), 15_000).catch(() => undefined);
    const timed = await withServerAcceptTimes(h.get, samples);
    const slowest = await timelineOfSlowest(h.get, timed, received);
    const callsAfter = await sim.answeredCalls();
    const vendorCalls = Object.fromEntries(
      Object.entries(callsAfter)
        .map(([id, n]) => [id, n - (callsBefore[id] ?? 0)] as const)
        .filter(([, n]) => n > 0),
    );
    progress(1, 'done');
    return {
      slowest,
      vendorCalls,
      plan,
      idle: phaseStats(timed, 'idle', received, idleProbeResult, floodStart),
      flood: phaseStats(timed, 'flood', received, floodProbeResult),
      floodMs,
      floodRate: floodCount / (floodMs / 1_000),
      floodSubmitMs,
      floodAcceptP99Ms,
      floodAcceptStages,
      scheduling: { idle: idleShares, floodSubmit: floodSubmitShares, flood: floodShares },
      series: {
        label: plan.label,
        points: timed
          .filter((s) => received.has(s.messageId))
          .map((s) => ({ x: s.at, y: received.get(s.messageId)! - s.acceptedAt })),
      },
    };
  } finally {
    unsubscribe();
    await h.stop();
  }
}

type Send = (body: unknown) => Promise<string[]>;

type Stretch = 'idle' | 'floodSubmit' | 'flood';

const STRETCH_LABELS: Record<Stretch, string> = {
  idle: 'idle phase',
  floodSubmit: "flood's submission",
  flood: 'flood phase (submission and drain)',
};

/**
 * Everything that shares the cores: herald's processes, this process's clients and its simulator
 * thread apart, and Kafka, Redis and PostgreSQL.
 */
function watchedProcesses(pids: Readonly<Record<string, number>>): Record<string, Watched> {
  return {
    ...Object.fromEntries(Object.entries(pids).map(([role, pid]) => [role, { pids: [pid] }])),
    'bench clients': { pids: [process.pid], threads: (name) => name !== SIMULATOR_THREAD_NAME },
    'simulator thread': { pids: [process.pid], threads: (name) => name === SIMULATOR_THREAD_NAME },
    ...servicePids(),
  };
}

/**
 * Replaces each sample's client-side accept time (when the 202 reached this process) with the
 * server's: the message's `queued` history event, stamped when Kafka confirmed it, right before
 * the 202. That is where the lane's part begins. This process also runs the flood's client, and
 * under the flood its event loop reads a 202 late, sometimes after the vendor already got the
 * message.
 * The API's own part (accepted -> queued: history write and produce, shared by every lane) is
 * kept beside it as `apiMs`.
 */
async function withServerAcceptTimes(
  get: (path: string) => Promise<unknown>,
  samples: readonly Sample[],
): Promise<Sample[]> {
  const timed: Sample[] = [];
  for (let i = 0; i < samples.length; i += 16) {
    const chunk = samples.slice(i, i + 16);
    const views = await Promise.all(chunk.map((s) => projected(get, s.messageId)));
    chunk.forEach((sample, j) => {
      const at = (status: string) => views[j]!.events.find((event) => event.status === status)?.at;
      const queued = at('queued');
      const accepted = at('accepted');
      timed.push({
        ...sample,
        acceptedAt: queued ?? sample.acceptedAt,
        apiMs: queued !== undefined && accepted !== undefined ? queued - accepted : undefined,
      });
    });
  }
  return timed;
}

/**
 * A message's view once history has its `queued` event: right after its 202 the API answers from
 * what it remembered of the request (no `queued` yet) until the history writer applies the log.
 */
async function projected(
  get: (path: string) => Promise<unknown>,
  messageId: string,
): Promise<{ events: { status: string; at: number }[] }> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const view = (await get(`/v1/messages/${messageId}`)) as { events: { status: string; at: number }[] };
    if (view.events.some((event) => event.status === 'queued') || Date.now() > deadline) return view;
    await sleep(250);
  }
}

/** Where the slowest realtime message spent its time: its history events relative to accept. */
async function timelineOfSlowest(
  get: (path: string) => Promise<unknown>,
  samples: readonly Sample[],
  received: Map<string, number>,
): Promise<Record<string, number>> {
  const flood = samples.filter((s) => s.phase === 'flood' && received.has(s.messageId));
  const worst = flood.sort(
    (a, b) => received.get(b.messageId)! - b.acceptedAt - (received.get(a.messageId)! - a.acceptedAt),
  )[0];
  if (!worst) return {};
  const view = (await get(`/v1/messages/${worst.messageId}`)) as {
    events: { status: string; at: number; errorCode?: string; errorMessage?: string; latencyMs?: number }[];
  };
  const timeline: Record<string, number> = {
    vendorReceipt: received.get(worst.messageId)! - worst.acceptedAt,
  };
  for (const [i, event] of view.events.entries()) {
    const call = event.latencyMs === undefined ? '' : `call ${event.latencyMs.toFixed(0)} ms`;
    const detail = [event.errorCode, event.errorMessage, call].filter(Boolean).join(', ');
    timeline[`${i} ${event.status}${detail ? ` (${detail})` : ''}`] = event.at - worst.acceptedAt;
  }
  return timeline;
}

/** Until the lanes' consumers hold their partitions, the first message waits on a rebalance. */
/** Bodies carry the variant tag: the simulator answers a repeated idempotency key without delivering. */
async function warmUp(send: Send, plan: LanePlan, tag: string, received: Map<string, number>): Promise<void> {
  const ids = [
    ...(await send(smsRequest(plan.trickleLane, 10, 9_000_000, `warm-up ${tag} #{n}`))),
    ...(await send(smsRequest(plan.floodLane, 10, 9_000_100, `warm-up ${tag} #{n}`))),
  ];
  await waitUntil(() => countIn(received, ids) === ids.length, 60_000);
}

function startTrickle(
  send: Send,
  plan: LanePlan,
  tag: string,
  onAccepted: (messageId: string, acceptedAt: number) => void,
) {
  const pending = new Set<Promise<void>>();
  let n = 0;
  const timer = setInterval(() => {
    const body = smsRequest(plan.trickleLane, 1, n++, `realtime ${tag} #{n}`);
    const call = send(body).then(([messageId]) => onAccepted(messageId!, epochNowMs()));
    pending.add(call);
    void call.finally(() => pending.delete(call));
  }, 1_000 / TRICKLE_PER_SECOND);
  return {
    async stop() {
      clearInterval(timer);
      await Promise.all(pending);
    },
  };
}

async function flood(
  send: Send,
  plan: LanePlan,
  tag: string,
  count: number,
  onProgress: (n: number) => void,
) {
  const ids: string[] = [];
  const acceptMs: number[] = [];
  await submitInChunks(count, FLOOD_REQUEST_SIZE, FLOOD_POST_CONCURRENCY, async (offset, size) => {
    const started = performance.now();
    ids.push(...(await send(smsRequest(plan.floodLane, size, 1_000_000 + offset, `flood ${tag} #{n}`))));
    acceptMs.push(performance.now() - started);
    onProgress(ids.length);
  });
  return { ids, acceptP99Ms: percentile(acceptMs, 99) };
}

function countIn(received: Map<string, number>, ids: readonly string[]): number {
  let n = 0;
  for (const id of ids) if (received.has(id)) n += 1;
  return n;
}

async function waitUntil(done: () => boolean, timeoutMs: number, tick?: () => void): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`lane isolation: not finished after ${timeoutMs} ms`);
    tick?.();
    await sleep(250);
  }
}

/**
 * Event-loop delay of this process's main thread (the clients) and of the simulator thread, and CPU
 * share of the process (the clients and the simulator thread).
 */
async function probe(sim: Sim) {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  await sim.loopDelay(); // resets the thread's histogram: from here on
  const cpu = process.cpuUsage();
  const wall = performance.now();
  return {
    async stop(): Promise<Probed> {
      histogram.disable();
      const used = process.cpuUsage(cpu);
      const simDelay = await sim.loopDelay();
      return {
        loopDelayP99: histogram.percentile(99) / 1e6,
        loopDelayMax: histogram.max / 1e6,
        simLoopDelayP99: simDelay.p99Ms,
        simLoopDelayMax: simDelay.maxMs,
        cpu: (used.user + used.system) / 1_000 / (performance.now() - wall),
      };
    },
  };
}

type Probed = Pick<
  PhaseStats,
  'loopDelayP99' | 'loopDelayMax' | 'simLoopDelayP99' | 'simLoopDelayMax' | 'cpu'
>;

function phaseStats(
  samples: readonly Sample[],
  phase: 'idle' | 'flood',
  received: Map<string, number>,
  probed: Probed,
  /** Idle: the flood's start; a message the vendor received from then on straddles both phases. */
  endsAt = Number.POSITIVE_INFINITY,
): PhaseStats {
  const { counted, latencies, lost, straddling } = phaseSamples(samples, phase, received, endsAt);
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    count: latencies.length,
    lost,
    straddling,
    apiP99: percentile(
      counted.flatMap((s) => (s.apiMs === undefined ? [] : [s.apiMs])),
      99,
    ),
    ...probed,
  };
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

function report(
  atRate: VariantResult,
  herald: VariantResult,
  shared: VariantResult,
  floodCount: number,
  idleMs: number,
): ScenarioResult {
  const p99Ratio = herald.flood.p99 / herald.idle.p99;
  const atVendorRateP99Ratio = atRate.flood.p99 / atRate.idle.p99;
  const baselineP99Ratio = shared.flood.p99 / shared.idle.p99;
  const rows: { metric: string; value: string; target?: string; met?: boolean }[] = [];
  for (const v of [atRate, herald, shared]) {
    for (const phase of ['idle', 'flood'] as const) {
      const s = v[phase];
      rows.push({
        metric: `realtime ${phase} p50 / p99, queued -> vendor (${v.plan.label})`,
        value: `${ms(s.p50)} / ${ms(s.p99)} (n=${s.count}, API accept p99 ${ms(s.apiP99)}, bench loop delay p99/max ${ms(s.loopDelayP99)}/${ms(s.loopDelayMax)}, simulator thread's ${ms(s.simLoopDelayP99)}/${ms(s.simLoopDelayMax)}, cpu ${s.cpu.toFixed(2)} cores)`,
      });
    }
    rows.push({
      metric: `batch flood drain (${v.plan.label})`,
      value: `${(v.floodMs / 1_000).toFixed(1)} s, ${v.floodRate.toFixed(0)} msgs/s (submitted in ${(v.floodSubmitMs / 1_000).toFixed(1)} s), 100-recipient accept p99 ${ms(v.floodAcceptP99Ms)} (API's stages p50/p99: ${stagesLine(v.floodAcceptStages)})`,
    });
    for (const stretch of ['idle', 'floodSubmit', 'flood'] as const) {
      rows.push({
        metric: `cores used / run-queue wait per CPU second, ${STRETCH_LABELS[stretch]} (${v.plan.label})`,
        value: schedulingLine(v.scheduling[stretch]),
      });
    }
  }
  rows.push({
    metric: "laneIsolation.atVendorRate.p99Ratio (flood at the vendors' maxPerSecond / idle)",
    value: atVendorRateP99Ratio.toFixed(2),
    target: '<= 1.5',
    met: atVendorRateP99Ratio <= 1.5,
  });
  rows.push({
    metric: "laneIsolation.p99Ratio (flood at the machine's limit / idle)",
    value: p99Ratio.toFixed(2),
    target: '<= 3 (goal)',
    met: p99Ratio <= 3,
  });
  rows.push({ metric: 'shared-pool baseline p99 ratio (flood / idle)', value: baselineP99Ratio.toFixed(2) });
  const phaseJson = (s: PhaseStats) => ({
    p50Ms: s.p50,
    p99Ms: s.p99,
    samples: s.count,
    lost: s.lost,
    straddlingSamples: s.straddling,
    apiAcceptP99Ms: s.apiP99,
    loopDelayP99Ms: s.loopDelayP99,
    loopDelayMaxMs: s.loopDelayMax,
    simLoopDelayP99Ms: s.simLoopDelayP99,
    simLoopDelayMaxMs: s.simLoopDelayMax,
    cpuCores: s.cpu,
  });
  return {
    parameters: {
      floodMessages: floodCount,
      floodRequestSize: FLOOD_REQUEST_SIZE,
      floodPostConcurrency: FLOOD_POST_CONCURRENCY,
      tricklePerSecond: TRICKLE_PER_SECOND,
      idlePhaseMs: idleMs,
      simulatorMedianMs: SIM_LATENCY_MS,
      channel: 'sms',
      baseline: 'trickle + flood both on lane batch, batch budgets = realtime + batch defaults',
    },
    rows,
    json: {
      laneIsolation: {
        p99Ratio,
        baselineP99Ratio,
        atVendorRate: {
          p99Ratio: atVendorRateP99Ratio,
          vendorRates: atRate.plan.vendorRates,
          vendorRatesShareOfMachineLimit: VENDOR_RATE_SHARE,
          idle: phaseJson(atRate.idle),
          flood: phaseJson(atRate.flood),
          floodMs: atRate.floodMs,
          floodSubmitMs: atRate.floodSubmitMs,
          floodAcceptP99Ms: atRate.floodAcceptP99Ms,
          floodAcceptStages: atRate.floodAcceptStages,
          scheduling: atRate.scheduling,
          slowestTimelineMs: atRate.slowest,
          vendorCalls: atRate.vendorCalls,
        },
        herald: {
          idle: phaseJson(herald.idle),
          flood: phaseJson(herald.flood),
          floodMs: herald.floodMs,
          floodSubmitMs: herald.floodSubmitMs,
          floodAcceptP99Ms: herald.floodAcceptP99Ms,
          floodAcceptStages: herald.floodAcceptStages,
          scheduling: herald.scheduling,
          slowestTimelineMs: herald.slowest,
          vendorCalls: herald.vendorCalls,
        },
        sharedPool: {
          idle: phaseJson(shared.idle),
          flood: phaseJson(shared.flood),
          floodMs: shared.floodMs,
          floodSubmitMs: shared.floodSubmitMs,
          floodAcceptP99Ms: shared.floodAcceptP99Ms,
          floodAcceptStages: shared.floodAcceptStages,
          scheduling: shared.scheduling,
          slowestTimelineMs: shared.slowest,
          vendorCalls: shared.vendorCalls,
        },
      },
    },
    files: [CHART, SERIES],
  };
}

/** `api 0.62/1.30, kafka 0.40/2.10, ...`: busiest first. */
function schedulingLine(shares: Record<string, SchedulingShare>): string {
  return Object.entries(shares)
    .sort(([, a], [, b]) => b.cores - a.cores)
    .map(([name, share]) => `${name} ${share.cores.toFixed(2)}/${share.waitPerCpuSecond.toFixed(2)}`)
    .join(', ');
}

/** `checks 5/25 ms, ...`: each stage's bucketed p50/p99 (upper bounds of prom-client's buckets). */
function stagesLine(stages: VariantResult['floodAcceptStages']): string {
  return Object.entries(stages)
    .map(([stage, p]) => `${stage} ${p.p50Ms}/${p.p99Ms} ms`)
    .join(', ');
}
