import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import type { ReceiveEvent } from '../../src/simulators/receive-counter.ts';
import { startBenchSimulators } from '../scenarios/herald-bench-kit.ts';
import { FLUSH_MS, type SimulatorThreadCommand, type SimulatorThreadMessage } from './simulator-thread.ts';

/** The worker thread of startSimulatorThread: the bench simulators, their arrivals posted in batches. */
const port = parentPort;
if (!port) throw new Error('simulator-thread-main.ts runs as a worker thread (startSimulatorThread)');
const post = (message: SimulatorThreadMessage) => port.postMessage(message);
const { medianMs, credentialsDir } = workerData as { medianMs: number; credentialsDir: string };
const sim = await startBenchSimulators(medianMs, credentialsDir);
let pending: ReceiveEvent[] = [];
sim.onReceive((event) => pending.push(event));
/** Posts what arrived since the last flush; an answer to a command flushes first, to keep order. */
const flushArrivals = () => {
  if (pending.length === 0) return;
  post({ kind: 'received', events: pending });
  pending = [];
};
const flush = setInterval(flushArrivals, FLUSH_MS);
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
port.on('message', async (message: SimulatorThreadCommand) => {
  if (message.kind === 'loopDelay') {
    post({ kind: 'loopDelay', p99Ms: loopDelay.percentile(99) / 1e6, maxMs: loopDelay.max / 1e6 });
    loopDelay.reset();
    return;
  }
  if (message.kind === 'reset') {
    flushArrivals();
    sim.reset();
    post({ kind: 'reset' });
    return;
  }
  if (message.kind === 'answered') {
    const stats = sim.stats();
    const calls = Object.fromEntries([
      ...Object.entries(stats.vendors).map(([id, v]) => [id, v.received + v.idempotentReplays]),
      // What herald's receipt look-ups cost each vendor, beside its calls.
      ...Object.entries(stats.listedRows).map(([id, rows]) => [`${id} look-up rows`, rows]),
    ]);
    flushArrivals();
    post({ kind: 'answered', calls });
    return;
  }
  clearInterval(flush);
  flushArrivals();
  await sim.close();
  post({ kind: 'closed' });
});
post({ kind: 'ready', url: sim.url });
