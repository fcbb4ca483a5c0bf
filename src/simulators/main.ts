import { parseArgs } from 'node:util';
import { SIMULATOR_VENDOR_CHANNELS } from '../config/default-remote-config.ts';
import { DEFAULT_SIMULATOR_SMTP_PORT, defaultSimulatorCredentialsDir } from '../config/env-config.ts';
import type { BehaviourPatch } from './behaviour.ts';
import { ensureSimulatorCredentials } from './push-credentials/push-credentials.ts';
import { simulatorPushTrust } from './push-credentials/push-trust.ts';
import { createSeededRandom } from './seeded-random.ts';
import { type SimulatorServer, startSimulatorServer } from './simulator-server.ts';
import { applyReceiptFlags, RECEIPT_FLAGS, RECEIPT_USAGE } from './text/receipt-flags.ts';
import { simulatorTextTrust } from './text/text-credentials.ts';

/** Bad command-line input; the message says which flag and why. */
export class SimulatorUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimulatorUsageError';
  }
}

export const SIMULATOR_USAGE = `Usage: herald sim [options]
  --host <ip>            listen address (default 127.0.0.1)
  --port <n>             listen port, 0 for any free one (default 9100)
  --smtp-port <n>        SMTP port of vendor smtp, 0 for any free one (default 9125, or any free
                         one with --port 0; herald looks at HERALD_SIMULATOR_SMTP_PORT)
  --latency-ms <ms>      median vendor latency (default 20)
  --p99-ms <ms>          99th percentile latency (default 3 x median)
  --outlier-share <0..1> share of calls that stall for --outlier-ms (default 0)
  --outlier-ms <ms>      stall of an outlier call (default 5000)
  --error-share <0..1>   share of calls failed with a vendor error (default 0)
  --hang-share <0..1>    share of calls never answered (default 0)
  --rate-limit <n/s>     per-vendor rate limit (default none)
  --seed <n>             seed the random source for a repeatable run
  --credentials-dir <d>  push credentials the FCM/APNs contracts trust, generated once; give herald
                         the same (HERALD_SIMULATOR_CREDENTIALS_DIR; default that variable, else
                         $HERALD_DATA_DIR/simulator-credentials, else ./data/simulator-credentials)
${RECEIPT_USAGE}`;

const FLAGS = {
  host: { type: 'string', default: '127.0.0.1' },
  port: { type: 'string', default: '9100' },
  'smtp-port': { type: 'string' },
  'latency-ms': { type: 'string', default: '20' },
  'p99-ms': { type: 'string' },
  'outlier-share': { type: 'string', default: '0' },
  'outlier-ms': { type: 'string', default: '5000' },
  'error-share': { type: 'string', default: '0' },
  'hang-share': { type: 'string', default: '0' },
  'rate-limit': { type: 'string' },
  seed: { type: 'string' },
  'credentials-dir': { type: 'string' },
  ...RECEIPT_FLAGS,
} as const;

/**
 * Runs the simulator as its own process (benchmarks, drills): every SIMULATOR_VENDOR_CHANNELS id
 * with the same behaviour from the flags. Prints one line with the URL once listening, and closes
 * on SIGTERM or SIGINT. Returns the running server so a caller (the herald CLI) can also close it.
 */
export async function runSimulatorProcess(
  argv: readonly string[],
  output: NodeJS.WritableStream = process.stdout,
): Promise<SimulatorServer> {
  const { values } = parseFlags(argv);
  const behaviour = behaviourFromFlags(values);
  const vendors = Object.fromEntries(Object.keys(SIMULATOR_VENDOR_CHANNELS).map((id) => [id, behaviour]));
  const credentials = await ensureSimulatorCredentials(values['credentials-dir'] ?? credentialsDirFromEnv());
  const server = await startSimulatorServer({
    host: values.host,
    port: integerFlag('port', values.port),
    vendors,
    random: values.seed === undefined ? Math.random : createSeededRandom(integerFlag('seed', values.seed)),
    pushTrust: simulatorPushTrust(credentials),
    textTrust: simulatorTextTrust(credentials.text),
    ...(credentials.smtp ? { smtpTrust: credentials.smtp } : {}),
    ...(credentials.ses ? { sesTrust: credentials.ses } : {}),
    ...(credentials.sns ? { snsSigner: credentials.sns } : {}),
    smtpPort: smtpPortFrom(values),
  });
  try {
    applyReceiptFlags(values, server.text);
  } catch (error) {
    await server.close();
    throw new SimulatorUsageError(`${(error as Error).message}\n${SIMULATOR_USAGE}`);
  }
  const smtp = server.smtp ? `; SMTP on ${server.smtp.url}` : '';
  output.write(
    `herald simulator listening on ${server.url} (${Object.keys(vendors).length} vendors; ` +
      `push credentials in ${credentials.dir}${smtp})\n`,
  );
  const close = (): Promise<void> => {
    process.off('SIGTERM', stopOnSignal);
    process.off('SIGINT', stopOnSignal);
    return server.close();
  };
  const stopOnSignal = (): void => {
    void close();
  };
  process.once('SIGTERM', stopOnSignal);
  process.once('SIGINT', stopOnSignal);
  // Closing by hand (the CLI, a test) also lets go of the signal handlers.
  return { ...server, close };
}

type FlagValues = ReturnType<typeof parseFlags>['values'];

/** Where herald looks by default (env-config.ts), so `herald sim` beside `herald start` needs no flag. */
function credentialsDirFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env.HERALD_SIMULATOR_CREDENTIALS_DIR?.trim();
  return explicit || defaultSimulatorCredentialsDir(env.HERALD_DATA_DIR?.trim() || './data');
}

function parseFlags(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: FLAGS, strict: true, allowPositionals: false });
  } catch (error) {
    throw new SimulatorUsageError(`${(error as Error).message}\n${SIMULATOR_USAGE}`);
  }
}

function behaviourFromFlags(values: FlagValues): BehaviourPatch {
  const medianMs = numberFlag('latency-ms', values['latency-ms']);
  const rateLimit = values['rate-limit'];
  return {
    latency: {
      medianMs,
      p99Ms: values['p99-ms'] === undefined ? medianMs * 3 : numberFlag('p99-ms', values['p99-ms']),
      outlierShare: numberFlag('outlier-share', values['outlier-share']),
      outlierMs: numberFlag('outlier-ms', values['outlier-ms']),
    },
    errorShare: numberFlag('error-share', values['error-share']),
    hangShare: numberFlag('hang-share', values['hang-share']),
    rateLimitPerSecond: rateLimit === undefined ? null : numberFlag('rate-limit', rateLimit),
  };
}

/** --smtp-port, else 9125, else (with --port 0, as tests run several at once) any free port. */
function smtpPortFrom(values: FlagValues): number {
  const flag = values['smtp-port'];
  if (flag !== undefined) return integerFlag('smtp-port', flag);
  return integerFlag('port', values.port) === 0 ? 0 : DEFAULT_SIMULATOR_SMTP_PORT;
}

function numberFlag(name: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) {
    throw new SimulatorUsageError(`--${name} must be a number, got "${text}"`);
  }
  return value;
}

function integerFlag(name: string, text: string): number {
  const value = numberFlag(name, text);
  if (!Number.isInteger(value) || value < 0) {
    throw new SimulatorUsageError(`--${name} must be a whole number >= 0, got "${text}"`);
  }
  return value;
}

if (import.meta.main) {
  runSimulatorProcess(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  });
}
