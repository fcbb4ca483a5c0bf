import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import {
  type FromChild,
  SENDER_CONFIG_ENV,
  type SenderRunConfig,
  type SenderRunResult,
  type ToChild,
} from './push-sender-protocol.ts';

const CHILD = new URL('./push-sender-child.ts', import.meta.url).pathname;

/**
 * Runs one sender in a child process of its own (see push-sender-child.ts for why). `betweenWarmUpAndRun`
 * runs once the child has warmed up and built its messages, right before the measured window: the
 * bench reads the simulator's counters there, so they cover exactly the measured messages.
 */
export async function runSenderInChild(
  config: SenderRunConfig,
  betweenWarmUpAndRun: () => Promise<void>,
  timeoutMs: number,
): Promise<SenderRunResult> {
  const child = fork(CHILD, [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, [SENDER_CONFIG_ENV]: JSON.stringify(config) },
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  try {
    const messages = messagesOf(child);
    const warmed = await messages.next();
    if (warmed.type !== 'warmed') throw failure(config, warmed);
    await betweenWarmUpAndRun();
    post(child, { type: 'go' });
    const done = await messages.next();
    if (done.type !== 'result') throw failure(config, done);
    return done.result;
  } finally {
    clearTimeout(timer);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }
  }
}

function post(child: ChildProcess, message: ToChild): void {
  child.send(message);
}

/** The child's messages in order; an exit before the next one is an error naming how it ended. */
function messagesOf(child: ChildProcess): { next(): Promise<FromChild> } {
  const queue: FromChild[] = [];
  let waiting: { resolve(m: FromChild): void; reject(e: Error): void } | undefined;
  let exited: Error | undefined;
  child.on('message', (message) => {
    if (waiting) {
      waiting.resolve(message as FromChild);
      waiting = undefined;
    } else queue.push(message as FromChild);
  });
  child.once('exit', (code, signal) => {
    exited = new Error(`push sender child exited (${signal ?? code}) before answering`);
    waiting?.reject(exited);
    waiting = undefined;
  });
  return {
    next() {
      const queued = queue.shift();
      if (queued) return Promise.resolve(queued);
      if (exited) return Promise.reject(exited);
      return new Promise((resolve, reject) => {
        waiting = { resolve, reject };
      });
    },
  };
}

function failure(config: SenderRunConfig, message: FromChild): Error {
  const detail = message.type === 'error' ? message.message : `unexpected ${message.type}`;
  return new Error(`${config.sender} sender: ${detail}`);
}
