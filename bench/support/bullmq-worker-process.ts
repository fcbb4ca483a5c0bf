import { fork } from 'node:child_process';
import { once } from 'node:events';
import type { BullmqWorkerConfig } from './bullmq-sms-worker.ts';

export const BULLMQ_WORKER_ENV = 'HERALD_BENCH_BULLMQ_WORKER';

const CHILD = new URL('./bullmq-worker-child.ts', import.meta.url).pathname;
const READY_TIMEOUT_MS = 30_000;

/** A BullMQ worker in a process of its own (bullmq-worker-child.ts), ready to take jobs; stop() closes it. */
export async function startBullmqWorkerProcess(
  config: BullmqWorkerConfig,
): Promise<{ readonly pid: number; stop(): Promise<void> }> {
  const child = fork(CHILD, [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, [BULLMQ_WORKER_ENV]: JSON.stringify(config) },
  });
  const exited = once(child, 'exit');
  const ready = once(child, 'message');
  const failed = exited.then(([code, signal]) => {
    throw new Error(`BullMQ worker process exited (${signal ?? code}) before it was ready`);
  });
  const timeout = AbortSignal.timeout(READY_TIMEOUT_MS);
  try {
    await Promise.race([ready, failed, once(timeout, 'abort').then(() => Promise.reject(timeout.reason))]);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  failed.catch(() => {});
  return {
    pid: child.pid!,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send('stop');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
