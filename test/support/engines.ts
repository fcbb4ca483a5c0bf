import { Socket } from 'node:net';

/**
 * Where the production engines are for tests, and whether a missing one skips or fails.
 *
 * `.ci/run` starts every engine and sets HERALD_TEST_ENGINES=required, so there a missing engine
 * fails the run. A developer running `npm test` without a broker gets the suites skipped with a
 * message saying how to start it (`bash scripts/kafka.sh start`), never a silent pass.
 */
export const ENGINE_URLS = {
  kafka: process.env.HERALD_TEST_KAFKA_BROKERS ?? '127.0.0.1:9092',
  redis: process.env.HERALD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
  postgres: process.env.HERALD_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
} as const;

export type Engine = keyof typeof ENGINE_URLS;

const HOW_TO_START: Record<Engine, string> = {
  kafka: 'bash scripts/kafka.sh start',
  redis: 'redis-server --daemonize yes --port 6379',
  postgres: 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
};

function hostPort(engine: Engine): { host: string; port: number } {
  const url = ENGINE_URLS[engine];
  if (engine === 'kafka') {
    const [host, port] = url.split(',')[0]!.split(':');
    return { host: host!, port: Number(port) };
  }
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port) };
}

function reachable(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, host, () => done(true));
  });
}

/**
 * `false` when the suite may run; a skip reason otherwise. Throws when engines are required
 * (CI) and this one does not answer. Use as `describe(name, { skip: await engineSkip('redis') }, ...)`.
 */
export async function engineSkip(engine: Engine): Promise<string | false> {
  const { host, port } = hostPort(engine);
  if (await reachable(host, port)) return false;
  const message = `${engine} is not reachable at ${ENGINE_URLS[engine]}; start it with: ${HOW_TO_START[engine]}`;
  if (process.env.HERALD_TEST_ENGINES === 'required') throw new Error(message);
  return message;
}

/** The skip reason of a suite that needs Kafka, Redis and PostgreSQL, or false. */
export async function productionEnginesSkip(): Promise<string | false> {
  return (await engineSkip('kafka')) || (await engineSkip('redis')) || (await engineSkip('postgres'));
}
