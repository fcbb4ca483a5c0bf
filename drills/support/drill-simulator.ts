import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SIMULATOR_VENDOR_CHANNELS } from '../../src/config/default-remote-config.ts';
import type { BehaviourPatch } from '../../src/simulators/behaviour.ts';
import { ensureSimulatorCredentials } from '../../src/simulators/push-credentials/push-credentials.ts';
import { simulatorPushTrust } from '../../src/simulators/push-credentials/push-trust.ts';
import { type SimulatorServer, startSimulatorServer } from '../../src/simulators/simulator-server.ts';
import { simulatorTextTrust } from '../../src/simulators/text/text-credentials.ts';

export const VENDOR_IDS = Object.keys(SIMULATOR_VENDOR_CHANNELS);
export const SMS_VENDORS = VENDOR_IDS.filter((id) =>
  (SIMULATOR_VENDOR_CHANNELS[id as keyof typeof SIMULATOR_VENDOR_CHANNELS] as readonly string[]).includes(
    'sms',
  ),
);

/** The drill's simulator, and the push credentials its FCM and APNs contracts trust. */
export interface DrillSimulator extends SimulatorServer {
  /** Give herald processes this as HERALD_SIMULATOR_CREDENTIALS_DIR, so they sign with those keys. */
  readonly credentialsDir: string;
}

/**
 * The simulators in the drill's own process, so they outlive any herald process the drill kills and
 * the drill can ask, message by message, which vendor delivered what (countFor).
 */
export async function startDrillSimulator(
  latencyMs: number,
  patch: BehaviourPatch = {},
): Promise<DrillSimulator> {
  const credentialsDir = mkdtempSync(join(tmpdir(), 'herald-drill-credentials-'));
  const credentials = await ensureSimulatorCredentials(credentialsDir);
  const server = await startSimulatorServer({
    vendors: Object.fromEntries(
      VENDOR_IDS.map((id) => [id, { latency: { medianMs: latencyMs, p99Ms: latencyMs * 3 }, ...patch }]),
    ),
    pushTrust: simulatorPushTrust(credentials),
    textTrust: simulatorTextTrust(credentials.text),
  });
  return {
    ...server,
    credentialsDir,
    async close() {
      await server.close();
      rmSync(credentialsDir, { recursive: true, force: true });
    },
  };
}

export interface DeliveryTally {
  readonly sent: number;
  readonly lost: number;
  readonly lostIds: readonly string[];
  readonly endUserDuplicates: number;
  readonly vendorDuplicates: number;
  readonly idempotentReplays: number;
}

/** Deliveries of one message across every vendor. */
export function deliveries(sim: SimulatorServer, messageId: string): number {
  let n = 0;
  for (const vendor of VENDOR_IDS) n += sim.countFor(vendor, messageId);
  return n;
}

/** How many of `messageIds` were delivered, lost, or delivered more than once. */
export function tallyDeliveries(sim: SimulatorServer, messageIds: readonly string[]): DeliveryTally {
  let sent = 0;
  let endUserDuplicates = 0;
  const lostIds: string[] = [];
  for (const id of messageIds) {
    const n = deliveries(sim, id);
    if (n === 0) lostIds.push(id);
    else sent += 1;
    endUserDuplicates += Math.max(0, n - 1);
  }
  const idempotentReplays = Object.values(sim.stats().vendors).reduce(
    (sum, v) => sum + v.idempotentReplays,
    0,
  );
  return {
    sent,
    lost: lostIds.length,
    lostIds,
    endUserDuplicates,
    idempotentReplays,
    vendorDuplicates: endUserDuplicates + idempotentReplays,
  };
}

export function totalReceived(sim: SimulatorServer): number {
  return Object.values(sim.stats().vendors).reduce((sum, v) => sum + v.received, 0);
}

/** Waits until every message was delivered at least once, or the time is up; returns the tally. */
export async function settle(
  sim: SimulatorServer,
  messageIds: readonly string[],
  timeoutMs: number,
): Promise<DeliveryTally> {
  const deadline = Date.now() + timeoutMs;
  let pending = [...messageIds];
  while (pending.length > 0 && Date.now() < deadline) {
    pending = pending.filter((id) => deliveries(sim, id) === 0);
    if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 250));
  }
  // Late redeliveries (a retry after a time limit) show up a moment after the last first delivery.
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  return tallyDeliveries(sim, messageIds);
}
