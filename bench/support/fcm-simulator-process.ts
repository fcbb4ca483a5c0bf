import { fork } from 'node:child_process';
import { once } from 'node:events';

/** The FCM trust entry of the simulator (its `pushTrust.fcm[vendorId]` option). */
export interface FcmTrust {
  readonly projectId: string;
  readonly clientEmail: string;
  readonly publicKeyPem: string;
}

/** What the simulator counted so far: its h2 server's counters and the vendor's deliveries. */
export interface FcmSimulatorSnapshot {
  readonly h2: {
    readonly sessionsOpened: number;
    readonly streamsOpened: number;
    readonly peakConcurrentStreams: number;
  };
  /** Distinct message ids delivered (FCM: message.data.herald_message_id). */
  readonly distinct: number;
  readonly received: number;
  /** process.cpuUsage() of the simulator process since it started, user + system, µs. */
  readonly cpuUs: number;
}

/** The child's settings, as JSON in its environment (there before it could miss a message). */
export interface SimulatorStart {
  readonly vendorId: string;
  readonly latency: { readonly medianMs: number; readonly p99Ms: number };
  readonly trust: FcmTrust;
}

export const SIMULATOR_START_ENV = 'HERALD_BENCH_FCM_SIMULATOR';

export type SimulatorToChild = { readonly type: 'snapshot' } | { readonly type: 'close' };

export type SimulatorFromChild =
  | { readonly type: 'ready'; readonly url: string }
  | ({ readonly type: 'snapshot' } & FcmSimulatorSnapshot);

export interface FcmSimulatorProcess {
  readonly url: string;
  snapshot(): Promise<FcmSimulatorSnapshot>;
  close(): Promise<void>;
}

const CHILD = new URL('./fcm-simulator-child.ts', import.meta.url).pathname;

/**
 * Starts the push bench's FCM simulator as a process of its own: the vendor runs off the CPU of
 * the sender being measured (as fcm.googleapis.com does), and its bookkeeping of 100,000 message
 * ids never lands in a sender's process.cpuUsage().
 */
export async function startFcmSimulatorProcess(
  vendorId: string,
  latency: { medianMs: number; p99Ms: number },
  trust: FcmTrust,
): Promise<FcmSimulatorProcess> {
  const start: SimulatorStart = { vendorId, latency, trust };
  const child = fork(CHILD, [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, [SIMULATOR_START_ENV]: JSON.stringify(start) },
  });
  const exited = once(child, 'exit');
  const next = () =>
    Promise.race([
      once(child, 'message').then(([message]) => message as SimulatorFromChild),
      exited.then(([code]) => Promise.reject(new Error(`FCM simulator process exited (${code})`))),
    ]);
  const ready = await next();
  if (ready.type !== 'ready') throw new Error(`FCM simulator: expected ready, got ${ready.type}`);
  return {
    url: ready.url,
    async snapshot() {
      child.send({ type: 'snapshot' } satisfies SimulatorToChild);
      const { type: _type, ...snapshot } = (await next()) as Extract<
        SimulatorFromChild,
        { type: 'snapshot' }
      >;
      return snapshot;
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send({ type: 'close' } satisfies SimulatorToChild);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
