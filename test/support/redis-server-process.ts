import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const READY_LINE = 'Ready to accept connections';
const START_TIMEOUT_MS = 10_000;

/** A TCP port nobody listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no TCP port from the OS');
  return address.port;
}

/**
 * A private `redis-server` child process on its own port, for tests that stop, freeze or restart
 * Redis (never the machine's shared one on 6379). No persistence: a restart comes back empty.
 */
export class RedisServerProcess {
  readonly port: number;
  readonly #extraArgs: readonly string[];
  readonly #dir: string;
  #child: ChildProcess | undefined;

  private constructor(port: number, extraArgs: readonly string[]) {
    this.port = port;
    this.#extraArgs = extraArgs;
    this.#dir = mkdtempSync(join(tmpdir(), 'herald-redis-'));
  }

  /** Starts a server on `port`, or on a free port the OS picks. */
  static async start(extraArgs: readonly string[] = [], port?: number): Promise<RedisServerProcess> {
    const server = new RedisServerProcess(port ?? (await freePort()), extraArgs);
    await server.restart();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.#child !== undefined;
  }

  /** Starts the server (again, on the same port) and waits until it accepts connections. */
  async restart(): Promise<void> {
    if (this.#child) throw new Error('redis-server is already running');
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    const child = spawn(
      'redis-server',
      [...args, '--dir', this.#dir, '--daemonize', 'no', ...this.#extraArgs],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.#child = child;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`redis-server did not start:\n${output}`)),
        START_TIMEOUT_MS,
      );
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes(READY_LINE)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${code}:\n${output}`));
      });
    });
  }

  /** Kills the server the hard way (a crash, not a shutdown) and waits until it is gone. */
  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }

  /** Freezes the process: connections stay open but nothing answers (a hung server). */
  pause(): void {
    this.#child?.kill('SIGSTOP');
  }

  resume(): void {
    this.#child?.kill('SIGCONT');
  }

  async dispose(): Promise<void> {
    this.resume();
    await this.stop();
    rmSync(this.#dir, { recursive: true, force: true });
  }
}

const execFileAsync = promisify(execFile);

/** A three-master Redis Cluster of private processes (no replicas), ready to serve every slot. */
export async function startRedisCluster(): Promise<{ url: string; dispose: () => Promise<void> }> {
  const nodes: RedisServerProcess[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      nodes.push(
        await RedisServerProcess.start([
          ...['--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${i}.conf`],
          ...['--cluster-port', String(await freePort())],
        ]),
      );
    }
    const addresses = nodes.map((node) => `127.0.0.1:${node.port}`);
    await execFileAsync('redis-cli', [
      '--cluster',
      'create',
      ...addresses,
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    await waitForClusterOk(nodes);
  } catch (error) {
    await Promise.all(nodes.map((node) => node.dispose()));
    throw error;
  }
  return {
    url: `redis+cluster://${nodes.map((node) => `127.0.0.1:${node.port}`).join(',')}`,
    dispose: async () => {
      await Promise.all(nodes.map((node) => node.dispose()));
    },
  };
}

async function waitForClusterOk(nodes: readonly RedisServerProcess[]): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const states = await Promise.all(
      nodes.map(
        async (node) =>
          (await execFileAsync('redis-cli', ['-p', String(node.port), 'cluster', 'info'])).stdout,
      ),
    );
    if (states.every((info) => info.includes('cluster_state:ok'))) return;
    if (Date.now() > deadline) throw new Error(`the cluster did not become ready:\n${states.join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
