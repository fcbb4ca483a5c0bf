import { type ChildProcess, type SpawnSyncReturns, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

const CLI = new URL('../../src/cli/main.ts', import.meta.url).pathname;

/** Runs `herald <args>` to its end (Node 24, like the tests) and returns its exit status and output. */
export function runCli(args: readonly string[], env: Record<string, string> = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });
}

export interface Child {
  readonly process: ChildProcess;
  readonly url: string;
  /** Lines the child printed, for a failing test's message. */
  readonly output: string[];
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Runs `herald <args>` as its own process (the Node that runs the tests, i.e. Node 24) and waits
 * until it prints its URL: the simulator's "listening on <url>" line, or herald's "herald started"
 * log record (the API's URL, or for a worker the URL of its /health and /metrics).
 */
export async function spawnHerald(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 30_000,
): Promise<Child> {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no URL within ${timeoutMs} ms:\n${output.join('\n')}`)),
      timeoutMs,
    );
    const onLine = (line: string) => {
      output.push(line);
      const found = /listening on (http:\/\/\S+)/.exec(line)?.[1] ?? startedUrl(line);
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    };
    createInterface({ input: child.stdout! }).on('line', onLine);
    createInterface({ input: child.stderr! }).on('line', (line) => output.push(line));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`herald ${args.join(' ')} exited with ${code}:\n${output.join('\n')}`));
    });
  });
  return {
    process: child,
    url,
    output,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill(signal);
      await exited;
    },
  };
}

function startedUrl(line: string): string | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const record = JSON.parse(line) as { msg?: string; url?: string; operationsUrl?: string };
    // A process without the API answers /health and /metrics on its operations URL.
    return record.msg === 'herald started' ? (record.url ?? record.operationsUrl ?? 'no-http') : undefined;
  } catch {
    return undefined;
  }
}
