import { benchPushes } from './push-bench-messages.ts';
import {
  type BenchSender,
  type FromChild,
  SENDER_CONFIG_ENV,
  type SenderName,
  type SenderRunConfig,
  type SenderRunResult,
  type ToChild,
} from './push-sender-protocol.ts';
import { nearestRank, SendTally } from './send-tally.ts';

/**
 * Entry of a push-sender child process (forked by push-sender-process.ts): one sender, one run.
 * Each sender gets a process of its own so that process.cpuUsage() is that sender's CPU alone
 * (no garbage, JIT state or open sessions left by the other, and firebase-admin's patched
 * http2.connect never shares a process with herald's pool). The module of the other sender is
 * never even loaded.
 */
const LOADERS: Record<SenderName, (config: SenderRunConfig) => Promise<BenchSender>> = {
  'firebase-admin': async (config) =>
    (await import('./firebase-admin-sender.ts')).createFirebaseAdminSender(config),
  herald: async (config) => (await import('./herald-fcm-sender.ts')).createHeraldFcmSender(config),
};

function send(message: FromChild): Promise<void> {
  return new Promise((resolve) => process.send?.(message, () => resolve()) ?? resolve());
}

function nextMessage(): Promise<ToChild> {
  return new Promise((resolve) => process.once('message', (message) => resolve(message as ToChild)));
}

async function run(config: SenderRunConfig): Promise<SenderRunResult> {
  const sender = await LOADERS[config.sender](config);
  try {
    await sender.prepare(benchPushes(config.warmUpMessages), new SendTally(config.warmUpMessages))();
    const tally = new SendTally(config.messages);
    const measured = sender.prepare(benchPushes(config.messages), tally);
    sender.takeStreamLatencies?.();
    const sessionsBefore = sender.sessionsOpened();
    const go = nextMessage();
    await send({ type: 'warmed' });
    await go;
    const cpu = process.cpuUsage();
    const started = performance.now();
    await measured();
    const elapsedMs = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const sessionsAfter = sender.sessionsOpened();
    const streams = sender.takeStreamLatencies?.().sort();
    return {
      sender: config.sender,
      messages: config.messages,
      ...tally.summary(),
      elapsedMs,
      cpuUserUs: used.user,
      cpuSystemUs: used.system,
      sessionsOpened:
        sessionsAfter === undefined || sessionsBefore === undefined
          ? undefined
          : sessionsAfter - sessionsBefore,
      ...(streams && { streamLatencyMs: { p50: nearestRank(streams, 50), p99: nearestRank(streams, 99) } }),
      maxRssMiB: process.resourceUsage().maxRSS / 1_024,
    };
  } finally {
    await sender.close();
  }
}

try {
  const config = JSON.parse(process.env[SENDER_CONFIG_ENV] ?? 'null') as SenderRunConfig | null;
  if (!config) throw new Error(`push-sender-child: no ${SENDER_CONFIG_ENV} in the environment`);
  await send({ type: 'result', result: await run(config) });
} catch (error) {
  await send({ type: 'error', message: (error as Error)?.stack ?? String(error) });
}
process.disconnect?.();
