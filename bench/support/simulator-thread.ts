import { Worker } from 'node:worker_threads';
import type { ReceiveEvent, ReceiveListener } from '../../src/simulators/receive-counter.ts';
import { BENCH_CREDENTIALS_DIR } from './bench-engines.ts';

/**
 * The bench simulators (startBenchSimulators) on a worker thread of this process: an event loop
 * and heap of their own, so that the clients this process runs (a flood of POSTs, the trickle it
 * times) do not delay the vendors' arrival stamps, and the vendors' work does not delay the
 * clients. A real vendor runs on other machines; one event loop for both made a busy bench client
 * show up as herald latency (lane isolation: bench loop delay p99 70 ms under the flood).
 * Arrivals are stamped in the thread (epochNowMs, comparable across threads) and posted here in
 * batches every FLUSH_MS, so a listener sees them late by up to that, with their true times.
 */
export interface SimulatorThread {
  readonly url: string;
  /** Calls `listener` on every delivery, with the thread's arrival time; returns unsubscribe. */
  onReceive(listener: ReceiveListener): () => void;
  /**
   * Calls each vendor answered with success so far (deliveries + idempotent replays), and as
   * `<vendor> look-up rows` the rows its result lists answered herald's receipt look-ups.
   */
  answeredCalls(): Promise<Record<string, number>>;
  /**
   * The thread's event-loop delay since the last call (p99 and max, ms), then reset: a vendor
   * arrival is stamped when the thread gets to it, so a busy thread would count as herald latency.
   */
  loopDelay(): Promise<{ readonly p99Ms: number; readonly maxMs: number }>;
  /**
   * Forgets every message the vendors recorded (SimulatorServer.reset): a run's results would
   * otherwise stay in the thread's heap for the rest of the bench, and a major GC marking the
   * 100,000 messages of each earlier variant stalled the thread for a second (stamping the next
   * variant's arrivals late: its idle p99 read 1.8 s).
   */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export type SimulatorThreadMessage =
  | { readonly kind: 'ready'; readonly url: string }
  | { readonly kind: 'received'; readonly events: readonly ReceiveEvent[] }
  | { readonly kind: 'answered'; readonly calls: Record<string, number> }
  | { readonly kind: 'loopDelay'; readonly p99Ms: number; readonly maxMs: number }
  | { readonly kind: 'reset' }
  | { readonly kind: 'closed' };

export type SimulatorThreadCommand =
  | { readonly kind: 'answered' }
  | { readonly kind: 'loopDelay' }
  | { readonly kind: 'reset' }
  | { readonly kind: 'close' };

export const FLUSH_MS = 5;

/** The simulator thread's name, as /proc/<pid>/task/<tid>/comm shows it (at most 15 characters). */
export const SIMULATOR_THREAD_NAME = 'simulator';

export async function startSimulatorThread(medianMs: number): Promise<SimulatorThread> {
  const worker = new Worker(new URL('./simulator-thread-main.ts', import.meta.url), {
    // The thread's name in /proc (SIMULATOR_THREAD_NAME): run-queue.ts tells its time from the clients'.
    name: SIMULATOR_THREAD_NAME,
    // The accounts herald's adapters sign with: a thread's own BENCH_CREDENTIALS_DIR would be another.
    workerData: { medianMs, credentialsDir: BENCH_CREDENTIALS_DIR },
  });
  const listeners = new Set<ReceiveListener>();
  type Waiter = { resolve(message: SimulatorThreadMessage): void; reject(error: unknown): void };
  const waiting = new Map<SimulatorThreadMessage['kind'], Waiter>();
  const next = (kind: SimulatorThreadMessage['kind']) =>
    new Promise<SimulatorThreadMessage>((resolve, reject) => waiting.set(kind, { resolve, reject }));
  // A thread that fails fails whatever waits on it.
  worker.on('error', (error) => {
    for (const waiter of waiting.values()) waiter.reject(error);
    waiting.clear();
  });
  worker.on('message', (message: SimulatorThreadMessage) => {
    if (message.kind === 'received') {
      for (const event of message.events) for (const listener of listeners) listener(event);
      return;
    }
    const waiter = waiting.get(message.kind);
    waiting.delete(message.kind);
    waiter?.resolve(message);
  });
  const ready = (await next('ready')) as Extract<SimulatorThreadMessage, { kind: 'ready' }>;
  const command = (message: SimulatorThreadCommand) => worker.postMessage(message);
  return {
    url: ready.url,
    onReceive(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async answeredCalls() {
      const answer = next('answered');
      command({ kind: 'answered' });
      return ((await answer) as Extract<SimulatorThreadMessage, { kind: 'answered' }>).calls;
    },
    async loopDelay() {
      const answer = next('loopDelay');
      command({ kind: 'loopDelay' });
      const { p99Ms, maxMs } = (await answer) as Extract<SimulatorThreadMessage, { kind: 'loopDelay' }>;
      return { p99Ms, maxMs };
    },
    async reset() {
      const done = next('reset');
      command({ kind: 'reset' });
      await done;
    },
    async close() {
      const closed = next('closed');
      command({ kind: 'close' });
      await closed;
      await worker.terminate();
    },
  };
}
