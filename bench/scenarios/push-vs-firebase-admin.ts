import type { BenchContext, Scenario, ScenarioResult } from '../scenario.ts';
import { generateBenchServiceAccount } from '../support/bench-service-account.ts';
import { type FcmSimulatorSnapshot, startFcmSimulatorProcess } from '../support/fcm-simulator-process.ts';
import { runSenderInChild } from '../support/push-sender-process.ts';
import type { SenderName, SenderRunResult } from '../support/push-sender-protocol.ts';

/**
 * # pushVsFirebaseAdmin: herald's FCM sender against firebase-admin's sendEach
 *
 * 100,000 pushes (scale x 100,000, at least 5,000, whole batches of 500) to distinct device
 * tokens, sent once by firebase-admin 14.5.1 `getMessaging().sendEach` in batches of 500 and
 * once by herald's FCM adapter (`createFcmVendor`), each through an FCM simulator at 50 ms
 * median latency (p99 100 ms) over HTTP/2 h2c. Then herald's adapter alone at 0 ms latency.
 *
 * Fairness, choice by choice:
 * - **Same vendor.** Each run gets a fresh simulator process started with identical settings
 *   (one FCM vendor, same latency, same trusted service account), rather than one process for
 *   both runs: the simulator remembers every message id it counted, and the second sender
 *   would otherwise meet a simulator carrying 100,000 more of them. Its own process, so its
 *   CPU is never billed to a sender (as fcm.googleapis.com runs on Google's machines).
 * - **Same requests in flight: 500.** firebase-admin starts all 500 messages of a sendEach call
 *   at once and its users await one call before the next (the SDK caps a call at 500). herald's
 *   adapter gets 500 concurrent send() calls, a new one as soon as one ends, as herald's send
 *   pool drives it. How each turns those 500 into HTTP/2 streams is what is measured:
 *   firebase-admin opens one new session per call and queues behind the server's 100-stream
 *   limit; herald's pool spreads them over several long-lived sessions.
 * - **Same messages.** Distinct tokens shaped like real ones (~163 characters), the same title
 *   and body, herald's message id in `data.herald_message_id` for both (the simulator counts
 *   deliveries by it). Each sender's input is built before its measured window.
 * - **Same credentials path.** One generated RSA service account; both make a real OAuth2
 *   JWT-bearer grant against the simulator's token endpoint (firebase-admin through a custom
 *   credential doing what its `cert()` does, since `cert()` only talks to Google over TLS), and
 *   the simulator checks every bearer. Grants, JIT and first sessions happen in a warm-up of
 *   1,000 messages that is not measured.
 * - **firebase-admin unchanged.** Only `http2.connect` to fcm.googleapis.com is redirected to the
 *   simulator, with the `:scheme` its requests carry (`https:`, with a colon) normalised and the
 *   vendor's path prefix added (bench/support/firebase-admin-redirect.ts). Its session handling,
 *   retries, time limit (15 s) and error mapping are its own. herald gets the same 15 s limit.
 * - **Both validate the result.** Every outcome is counted: the rate is successes per second, and
 *   a failed send counts against its sender. The simulator's distinct deliveries over the window
 *   are reported beside each sender's success count (a success the vendor never saw would show).
 * - **CPU per sender.** Each sender runs in a child process of its own (push-sender-child.ts):
 *   process.cpuUsage() over the measured window is that sender's CPU alone, with no garbage,
 *   JIT state or sessions left by the other, and firebase-admin's wrapped `http2.connect` never
 *   shares a process with herald's pool. Running both in the bench process one after the other
 *   would bill the first one's GC debt to the second and mix in the bench's own bookkeeping.
 * - **Latency as the caller sees it.** herald: send() call to outcome. firebase-admin: sendEach
 *   call to its return, since a caller learns no result of a batch before the whole batch
 *   settles; the per-stream time (request to stream close) is reported beside it.
 * - **Sessions** are the simulator's count of h2 sessions opened (the same counter for both), over
 *   the whole run and in the measured window: herald's pool opens its sessions once (in the
 *   warm-up) and keeps them; firebase-admin opens one per sendEach call. firebase-admin's own
 *   count of connects is kept as a cross-check.
 * - **Where the limit is.** The simulator process's CPU per 1,000 messages is reported for every
 *   run: at 0 ms the adapter's rate is bounded by CPU (its own plus the simulator's on the same
 *   machine), not by streams, and the peak of streams in flight shows how far below 500 it stays.
 *
 * Run alone: `npx node bench/scenarios/run-one.ts pushVsFirebaseAdmin 0.2` (20,000 messages).
 */
const FULL_MESSAGES = 100_000;
const BATCH = 500;
const IN_FLIGHT = BATCH;
const WARM_UP = 2 * BATCH;
const MEDIAN_MS = 50;
const VENDOR_ID = 'fcm';
const PROJECT_ID = 'herald-bench';
const GOAL = 5;

interface Measured {
  readonly result: SenderRunResult;
  readonly simulator: {
    /** h2 sessions opened over the whole run (warm-up included) and in the measured window. */
    readonly sessionsRun: number;
    readonly sessions: number;
    readonly streams: number;
    /** The run's highest count of streams open at once (warm-up included; it has the same 500 in flight). */
    readonly peakStreams: number;
    /** Distinct message ids the simulator delivered in the window. */
    readonly delivered: number;
    /** The simulator process's CPU over the window, µs: the vendor's share of the machine. */
    readonly cpuUs: number;
  };
}

export const pushVsFirebaseAdmin: Scenario = {
  name: 'pushVsFirebaseAdmin',
  async run(context: BenchContext): Promise<ScenarioResult> {
    const messages = Math.max(10, Math.round((FULL_MESSAGES * context.scale) / BATCH)) * BATCH;
    const runs: [SenderName, number, string][] = [
      ['firebase-admin', MEDIAN_MS, 'firebase-admin sendEach, 50 ms'],
      ['herald', MEDIAN_MS, 'herald adapter, 50 ms'],
      ['herald', 0, 'herald adapter, 0 ms'],
    ];
    const measured: Measured[] = [];
    for (const [i, [sender, medianMs, label]] of runs.entries()) {
      context.progress(i / runs.length, label);
      measured.push(await measure(sender, medianMs, messages));
    }
    return report(messages, measured[0]!, measured[1]!, measured[2]!);
  },
};

async function measure(sender: SenderName, medianMs: number, messages: number): Promise<Measured> {
  const generated = generateBenchServiceAccount(PROJECT_ID, '');
  const simulator = await startFcmSimulatorProcess(
    VENDOR_ID,
    { medianMs, p99Ms: medianMs * 2 },
    {
      projectId: PROJECT_ID,
      clientEmail: generated.account.client_email,
      publicKeyPem: generated.publicKeyPem,
    },
  );
  try {
    const account = { ...generated.account, token_uri: `${simulator.url}/oauth2/token` };
    let before: FcmSimulatorSnapshot | undefined;
    const result = await runSenderInChild(
      {
        sender,
        simulatorUrl: simulator.url,
        vendorId: VENDOR_ID,
        account,
        messages,
        warmUpMessages: WARM_UP,
        inFlight: IN_FLIGHT,
      },
      async () => {
        before = await simulator.snapshot();
      },
      600_000 + messages * 10,
    );
    const after = await simulator.snapshot();
    return {
      result,
      simulator: {
        sessionsRun: after.h2.sessionsOpened,
        sessions: after.h2.sessionsOpened - before!.h2.sessionsOpened,
        streams: after.h2.streamsOpened - before!.h2.streamsOpened,
        peakStreams: after.h2.peakConcurrentStreams,
        delivered: after.distinct - before!.distinct,
        cpuUs: after.cpuUs - before!.cpuUs,
      },
    };
  } finally {
    await simulator.close();
  }
}

function rateOf(run: Measured): number {
  return (run.result.succeeded * 1_000) / run.result.elapsedMs;
}

function cpuPerThousand(run: Measured): number {
  return (run.result.cpuUserUs + run.result.cpuSystemUs) / 1e6 / (run.result.messages / 1_000);
}

function simulatorCpuPerThousand(run: Measured): number {
  return run.simulator.cpuUs / 1e6 / (run.result.messages / 1_000);
}

function figures(run: Measured) {
  const { result, simulator } = run;
  return {
    msgsPerSec: rateOf(run),
    succeeded: result.succeeded,
    failed: result.failed,
    failures: result.failures,
    deliveredAtSimulator: simulator.delivered,
    elapsedMs: result.elapsedMs,
    cpuSecondsPer1000: cpuPerThousand(run),
    cpuUserUs: result.cpuUserUs,
    cpuSystemUs: result.cpuSystemUs,
    sessionsOpenedInRun: simulator.sessionsRun,
    sessionsOpenedInWindow: simulator.sessions,
    sessionsOpenedBySenderInWindow: result.sessionsOpened,
    streamsOpened: simulator.streams,
    peakStreamsInFlight: simulator.peakStreams,
    latencyMs: result.latencyMs,
    streamLatencyMs: result.streamLatencyMs,
    maxRssMiB: result.maxRssMiB,
    simulatorCpuSecondsPer1000: simulatorCpuPerThousand(run),
  };
}

function report(messages: number, admin: Measured, herald: Measured, alone: Measured): ScenarioResult {
  const ratio = rateOf(herald) / rateOf(admin);
  return {
    parameters: {
      messages,
      distinctTokens: messages,
      warmUpMessages: WARM_UP,
      inFlight: `${IN_FLIGHT} (firebase-admin: sendEach batches of ${BATCH}, one after another; herald: ${IN_FLIGHT} concurrent sends)`,
      simulatorLatencyMs: `${MEDIAN_MS} median, ${MEDIAN_MS * 2} p99; then 0 for herald alone`,
      simulator: 'own process per run, HTTP/2 h2c, SETTINGS_MAX_CONCURRENT_STREAMS 100',
      firebaseAdmin: '14.5.1, http2.connect redirected, :scheme normalised',
      senders: 'each in its own child process (CPU = that process over the measured window)',
    },
    rows: rowsOf(ratio, admin, herald, alone),
    json: {
      pushVsFirebaseAdmin: {
        ratio,
        messages,
        firebaseAdmin: figures(admin),
        herald: figures(herald),
        heraldZeroLatency: figures(alone),
      },
    },
  };
}

function rowsOf(ratio: number, admin: Measured, herald: Measured, alone: Measured): ScenarioResult['rows'] {
  const outcome = (run: Measured) =>
    `${rateOf(run).toFixed(0)} msgs/s (${run.result.succeeded} ok, ${run.result.failed} failed, ${run.simulator.delivered} delivered; ${(run.result.elapsedMs / 1_000).toFixed(1)} s)`;
  const pair = (f: (run: Measured) => string) => `${f(admin)} / ${f(herald)}`;
  const cpu = (run: Measured) =>
    `${cpuPerThousand(run).toFixed(3)} (${simulatorCpuPerThousand(run).toFixed(3)})`;
  return [
    { metric: 'firebase-admin sendEach, 50 ms vendor', value: outcome(admin) },
    { metric: 'herald FCM adapter, 50 ms vendor', value: outcome(herald) },
    {
      metric: 'pushVsFirebaseAdmin.ratio (herald / firebase-admin)',
      value: ratio.toFixed(2),
      target: `>= ${GOAL}`,
      met: ratio >= GOAL && herald.result.failed === 0,
    },
    { metric: 'CPU s per 1,000 msgs, sender (simulator) (firebase-admin / herald)', value: pair(cpu) },
    {
      metric: 'HTTP/2 sessions opened, whole run (in the window) (firebase-admin / herald)',
      value: pair((r) => `${r.simulator.sessionsRun} (${r.simulator.sessions})`),
    },
    {
      metric: 'p99 per-message latency (firebase-admin / herald)',
      value: pair((r) => `${r.result.latencyMs.p99.toFixed(0)} ms`),
    },
    { metric: 'herald FCM adapter alone, 0 ms vendor', value: outcome(alone) },
    {
      metric: 'herald adapter, 0 ms: peak streams in flight; CPU s per 1,000, sender (simulator)',
      value: `${alone.simulator.peakStreams}; ${cpu(alone)}`,
    },
  ];
}
