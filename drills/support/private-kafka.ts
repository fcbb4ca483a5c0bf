import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../test/support/redis-server-process.ts';

const run = promisify(execFile);
const SCRIPT = new URL('../../scripts/kafka.sh', import.meta.url).pathname;

/**
 * A second Kafka broker of the drill's own (scripts/kafka.sh on free ports, a temporary home),
 * so a drill can kill it; the machine's shared broker on 9092 is never touched.
 */
export class PrivateKafka {
  readonly port: number;
  readonly #env: Record<string, string>;
  readonly #home: string;

  private constructor(port: number, controllerPort: number, home: string) {
    this.port = port;
    this.#home = home;
    this.#env = {
      ...(process.env as Record<string, string>),
      KAFKA_PORT: String(port),
      KAFKA_CONTROLLER_PORT: String(controllerPort),
      KAFKA_HOME_DIR: home,
    };
  }

  static async start(): Promise<PrivateKafka> {
    const kafka = new PrivateKafka(
      await freePort(),
      await freePort(),
      mkdtempSync(join(tmpdir(), 'herald-drill-kafka-')),
    );
    await kafka.restart();
    return kafka;
  }

  get brokers(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Starts the broker (again, same data) and waits until it answers. */
  async restart(): Promise<void> {
    await run('bash', [SCRIPT, 'start'], { env: this.#env, timeout: 180_000 });
  }

  /** SIGKILL of the broker JVM: a crash, not a shutdown. */
  kill(): void {
    const pid = Number(readFileSync(join(this.#home, 'broker.pid'), 'utf8').trim());
    process.kill(pid, 'SIGKILL');
  }

  async dispose(): Promise<void> {
    await run('bash', [SCRIPT, 'stop'], { env: this.#env, timeout: 60_000 }).catch(() => {});
    rmSync(this.#home, { recursive: true, force: true });
  }
}
